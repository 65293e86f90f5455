package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.subscription.SubscriptionLag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Measures a subscription's backlog in the events table: every committed event after its position (up to a cap),
 * the oldest one's age, and on PostgreSQL whether some of them wait behind the read horizon (committed, but an older
 * append transaction of this store is still open), and since when. See {@link JdbiEventStore#backlog}.
 */
final class LogBacklog {

    private final Database db;

    LogBacklog(Database db) {
        this.db = db;
    }

    /** See {@link JdbiEventStore#backlog}. */
    SubscriptionLag measure(Position after, Set<String> eventTypes, int cap, Instant now) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        EventStore.checkReadLimit(cap);
        Position from = after;
        if (db instanceof SqliteDatabase sqlite && !eventTypes.isEmpty() && after.commitOrder() == 0) {
            // Where the subscription's reads of these types have already found nothing: no need to scan that again.
            from = Position.of(sqlite.typeScans().startOf(eventTypes, after.sequence()));
        }
        Position start = from;
        return db.reading("measure a subscription's backlog", handle -> measure(handle.getConnection(), start,
                eventTypes, cap, now));
    }

    private SubscriptionLag measure(Connection connection, Position after, Set<String> eventTypes, int cap,
                                    Instant now) throws SQLException {
        Dialect dialect = db.dialect();
        StringBuilder where = new StringBuilder(" WHERE ").append(dialect.afterSql("e"));
        for (int i = 0; i < eventTypes.size(); i++) {
            where.append(i == 0 ? " AND e.event_type IN (?" : ", ?");
        }
        if (!eventTypes.isEmpty()) {
            where.append(')');
        }
        String from = " FROM " + dialect.tables.events() + " e" + where;
        long count;
        Instant oldest = null;
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), min(created_at) FROM (SELECT"
                + " e.created_at" + from + " ORDER BY " + dialect.logKey("e") + " LIMIT ?) waiting")) {
            int index = bind(dialect, query, after, eventTypes);
            query.setInt(index, cap);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                count = row.getLong(1);
                if (count > 0) {
                    oldest = dialect.getInstant(row, 2);
                }
            }
        }
        Instant heldSince = null;
        long horizon = count > 0 ? db.readHorizon(connection) : -1;
        if (horizon >= 0) {
            // Committed events at or above the horizon: readers cannot see them until older appends end.
            try (PreparedStatement query = connection.prepareStatement("SELECT min(e.created_at)" + from
                    + dialect.atOrAboveHorizonSql("e"))) {
                int index = bind(dialect, query, after, eventTypes);
                query.setString(index, Long.toString(horizon));
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && row.getObject(1) != null) {
                        heldSince = dialect.getInstant(row, 1);
                    }
                }
            }
        }
        return new SubscriptionLag(count, count >= cap, age(oldest, now), heldSince != null, age(heldSince, now));
    }

    private static int bind(Dialect dialect, PreparedStatement query, Position after, Set<String> eventTypes)
            throws SQLException {
        int index = dialect.bindAfter(after).bind(query, 1);
        for (String type : eventTypes) {
            query.setString(index++, type);
        }
        return index;
    }

    private static Duration age(Instant since, Instant now) {
        if (since == null) {
            return Duration.ZERO;
        }
        Duration age = Duration.between(since, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
