package dev.eskit.jdbi.subscription;

import dev.eskit.Names;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.TableNames;
import dev.eskit.projection.rebuild.RebuildRequest;
import dev.eskit.projection.rebuild.RebuildRequests;
import dev.eskit.projection.rebuild.RebuildState;
import dev.eskit.projection.rebuild.ShadowProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link RebuildRequests} of a {@link JdbiEventStore}'s tables: one row per projection in
 * {@code <prefix>rebuild_requests} (migration 9) with its state, the claiming node, its lease expiry by the database's
 * clock, and the last progress report. A claim is one {@code UPDATE ... WHERE} the request is free or its lease ran out,
 * so two nodes never run one request at once.
 *
 * <pre>{@code
 * RebuildRequests requests = JdbiRebuildRequests.create(jdbi, store);
 * }</pre>
 */
public final class JdbiRebuildRequests implements RebuildRequests {

    private static final String COLUMNS = "projection, state, node, attempts, expires_at, tables, remaining,"
            + " events_per_second, eta_millis, message";

    private final WriteTransactions db;
    private final String table;
    private final String now;

    private JdbiRebuildRequests(Jdbi jdbi, TableNames names, boolean migrate) {
        this.db = new WriteTransactions(jdbi, 10_000);
        this.table = names.table("rebuild_requests");
        if (migrate) {
            JdbiSchema.migrate(jdbi, names);
        }
        boolean sqlite;
        try {
            sqlite = db.isSqlite();
        } catch (SQLException e) {
            throw new StoreAccessException("open the rebuild request table " + table, e);
        }
        this.now = sqlite ? "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)";
    }

    /** Requests on {@code jdbi} in the tables of {@code store}'s schema and prefix (its migrations created them). */
    public static JdbiRebuildRequests create(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiRebuildRequests(jdbi, store.tableNames(), false);
    }

    /** Requests on {@code jdbi} with table names {@code names}, which must exist (schema version 9 or later). */
    public static JdbiRebuildRequests create(Jdbi jdbi, TableNames names) {
        return new JdbiRebuildRequests(jdbi, names, false);
    }

    @Override
    public RebuildRequest request(String projection) {
        Names.check("Projection name", projection);
        return db.call("request a rebuild of \"" + projection + "\"", true, connection -> {
            Optional<RebuildRequest> existing = select(connection, projection);
            if (existing.isPresent() && existing.get().runningNow()) {
                return existing.get();
            }
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                    + ", updated_at) VALUES (?, 'requested', NULL, 0, 0, '', -1, 0, NULL, NULL, " + now + ")"
                    + " ON CONFLICT (projection) DO UPDATE SET state = 'requested', node = NULL, attempts = 0,"
                    + " expires_at = 0, remaining = -1, events_per_second = 0, eta_millis = NULL, message = NULL,"
                    + " updated_at = excluded.updated_at")) {
                upsert.setString(1, projection);
                upsert.executeUpdate();
            }
            return select(connection, projection).orElseThrow();
        });
    }

    @Override
    public Optional<RebuildRequest> tryClaim(String projection, String node, List<String> tables, Duration lease) {
        Names.check("Projection name", projection);
        Names.check("Node name", node);
        return db.call("claim the rebuild request of \"" + projection + "\"", true, connection -> {
            try (PreparedStatement claim = connection.prepareStatement("UPDATE " + table + " SET state = 'running',"
                    + " node = ?, attempts = attempts + 1, expires_at = " + now + " + ?, tables = ?, remaining = -1,"
                    + " events_per_second = 0, eta_millis = NULL, message = NULL, updated_at = " + now
                    + " WHERE projection = ? AND (state = 'requested' OR (state = 'running' AND expires_at <= "
                    + now + "))")) {
                claim.setString(1, node);
                claim.setLong(2, lease.toMillis());
                claim.setString(3, String.join(",", tables));
                claim.setString(4, projection);
                if (claim.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return select(connection, projection);
        });
    }

    @Override
    public boolean progress(String projection, String node, ShadowProgress progress, Duration lease) {
        return db.call("report the rebuild progress of \"" + projection + "\"", true, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET expires_at = "
                    + now + " + ?, remaining = ?, events_per_second = ?, eta_millis = ?, updated_at = " + now
                    + " WHERE projection = ? AND node = ? AND state = 'running'")) {
                update.setLong(1, lease.toMillis());
                update.setLong(2, progress.remaining());
                update.setDouble(3, progress.eventsPerSecond());
                if (progress.eta().isPresent()) {
                    update.setLong(4, progress.eta().get().toMillis());
                } else {
                    update.setNull(4, java.sql.Types.BIGINT);
                }
                update.setString(5, projection);
                update.setString(6, node);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * In the swap's transaction when {@code transaction} is a Jdbi {@link Handle} (a {@link JdbiTransactor}'s): one
     * {@code UPDATE} extends {@code node}'s lease where it still holds it, so the check commits with the swap, and on
     * PostgreSQL the request's row stays locked until then (a node claiming it meanwhile waits, then finds the lease
     * extended). The request table must be in the transaction's database. Any other transaction object: checked on
     * a connection of its own (see {@link RebuildRequests#holdsAtSwap}).
     */
    @Override
    public boolean holdsAtSwap(Object transaction, String projection, String node, Duration lease) {
        if (!(transaction instanceof Handle handle)) {
            return RebuildRequests.super.holdsAtSwap(transaction, projection, node, lease);
        }
        try (PreparedStatement update = handle.getConnection().prepareStatement("UPDATE " + table
                + " SET expires_at = " + now + " + ?, updated_at = " + now + " WHERE projection = ? AND node = ?"
                + " AND state = 'running' AND expires_at > " + now)) {
            update.setLong(1, lease.toMillis());
            update.setString(2, projection);
            update.setString(3, node);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreAccessException("check the rebuild lease of \"" + projection + "\" in the swap's"
                    + " transaction (the request table " + table + " must be in the projection's database)", e);
        }
    }

    @Override
    public void finish(String projection, String node, boolean swapped, String message) {
        db.call("record the rebuild outcome of \"" + projection + "\"", true, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET state = ?,"
                    + " expires_at = 0, message = ?, updated_at = " + now
                    + " WHERE projection = ? AND node = ? AND state = 'running'")) {
                update.setString(1, swapped ? "done" : "failed");
                update.setString(2, message);
                update.setString(3, projection);
                update.setString(4, node);
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<RebuildRequest> find(String projection) {
        return db.call("read the rebuild request of \"" + projection + "\"", false,
                connection -> select(connection, projection));
    }

    @Override
    public boolean cancel(String projection) {
        return db.call("cancel the rebuild request of \"" + projection + "\"", true, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                    + " WHERE projection = ? AND state = 'requested'")) {
                delete.setString(1, projection);
                return delete.executeUpdate() == 1;
            }
        });
    }

    private Optional<RebuildRequest> select(Connection connection, String projection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", expires_at > " + now
                + " FROM " + table + " WHERE projection = ?")) {
            select.setString(1, projection);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String tables = row.getString(6);
                long eta = row.getLong(9);
                Optional<Duration> etaValue = row.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(eta));
                return Optional.of(new RebuildRequest(row.getString(1),
                        RebuildState.valueOf(row.getString(2).toUpperCase(Locale.ROOT)), row.getString(3),
                        row.getInt(4), row.getBoolean(11),
                        tables == null || tables.isEmpty() ? List.of() : Arrays.asList(tables.split(",")),
                        row.getLong(7), row.getDouble(8), etaValue, row.getString(10)));
            }
        }
    }
}
