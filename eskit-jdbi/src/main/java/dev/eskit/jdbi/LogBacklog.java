package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.jdbi.postgres.PostgresHorizon;
import dev.eskit.subscription.SubscriptionLag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Measures a subscription's backlog in the events table: every committed event after its position (up to a cap),
 * the oldest one's age, and on PostgreSQL whether some of them wait behind the read horizon (committed, but an older
 * append transaction of this store is still open), and since when. See {@link JdbiEventStore#backlog}.
 */
final class LogBacklog {

    private LogBacklog() {
    }

    static SubscriptionLag measure(Dialect dialect, Connection connection, Position after, Set<String> eventTypes,
                                   int cap, Instant now) throws SQLException {
        boolean postgres = dialect.name().equals("PostgreSQL");
        String events = dialect.tables.events();
        StringBuilder where = new StringBuilder(postgres ? " WHERE (tx, seq) > (?::text::xid8, ?)" : " WHERE seq > ?");
        for (int i = 0; i < eventTypes.size(); i++) {
            where.append(i == 0 ? " AND event_type IN (?" : ", ?");
        }
        if (!eventTypes.isEmpty()) {
            where.append(')');
        }
        String order = postgres ? " ORDER BY tx, seq" : " ORDER BY seq";
        long count;
        Instant oldest = null;
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), min(created_at) FROM (SELECT"
                + " created_at FROM " + events + where + order + " LIMIT ?) waiting")) {
            int index = bind(query, postgres, after, eventTypes);
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
        if (postgres && count > 0) {
            // Committed events at or above the horizon: readers cannot see them until older appends end.
            long horizon = PostgresHorizon.current(connection, dialect.tables);
            try (PreparedStatement query = connection.prepareStatement("SELECT min(created_at) FROM " + events
                    + where + " AND tx >= ?::text::xid8")) {
                int index = bind(query, true, after, eventTypes);
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

    private static int bind(PreparedStatement query, boolean postgres, Position after, Set<String> eventTypes)
            throws SQLException {
        int index = 1;
        if (postgres) {
            query.setString(index++, Long.toString(after.commitOrder()));
            query.setLong(index++, after.sequence());
        } else {
            query.setLong(index++, after.commitOrder() > 0 ? Long.MAX_VALUE : after.sequence());
        }
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
