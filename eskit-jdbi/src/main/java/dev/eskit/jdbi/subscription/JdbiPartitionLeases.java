package dev.eskit.jdbi.subscription;

import dev.eskit.Names;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.TableNames;
import dev.eskit.partition.PartitionCountMismatchException;
import dev.eskit.partition.PartitionFence;
import dev.eskit.partition.PartitionLease;
import dev.eskit.partition.PartitionLeaseStatus;
import dev.eskit.partition.PartitionLeaseStore;
import dev.eskit.partition.PartitionLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link PartitionLeaseStore} of {@link dev.eskit.partition.PartitionedSubscription}s in tables next to a
 * {@link JdbiEventStore}'s ({@code <prefix>partition_leases}: one row per partition with its owner, fencing token and
 * expiry; {@code <prefix>partition_nodes}: one heartbeat row per node). Expiry is judged by the database's clock
 * ({@code clock_timestamp()} on PostgreSQL), so the nodes' clocks need not agree. A claim is one
 * {@code UPDATE ... WHERE} the lease is free or ran out, so two nodes never get one partition; every claim raises the
 * fencing token.
 *
 * <pre>{@code
 * JdbiPartitionLeases leases = JdbiPartitionLeases.create(jdbi, store);
 * PartitionedSubscription.builder("orders", store, store.checkpoints(), leases)
 *     .partitions(16)
 *     .transactional(JdbiTransactor.of(jdbi, store), leases.fence(), (handle, event) -> handle.execute(...))
 *     .build().start();
 * }</pre>
 *
 * <p>The tables are created by eskit's versioned migrations (migration 7). SQLite works too (one or more processes on
 * one file), though one process can simply use {@link PartitionLeaseStore#inMemory()}.
 */
public final class JdbiPartitionLeases implements PartitionLeaseStore {

    private final WriteTransactions db;
    private final String leases;
    private final String nodes;
    private final String now;
    private final boolean sqlite;

    private JdbiPartitionLeases(Jdbi jdbi, TableNames names, boolean migrate) {
        this.db = new WriteTransactions(jdbi, 10_000);
        this.leases = names.table("partition_leases");
        this.nodes = names.table("partition_nodes");
        if (migrate) {
            JdbiSchema.migrate(jdbi, names);
        }
        try {
            this.sqlite = db.isSqlite();
        } catch (SQLException e) {
            throw new StoreAccessException("open the partition lease table " + leases, e);
        }
        this.now = sqlite ? "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)";
    }

    /** Leases on {@code jdbi} in the tables of {@code store}'s schema and prefix (its migrations created them). */
    public static JdbiPartitionLeases create(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiPartitionLeases(jdbi, store.tableNames(), false);
    }

    /** Leases on {@code jdbi} with table names {@code names}; creates or migrates eskit's tables first. */
    public static JdbiPartitionLeases create(Jdbi jdbi, TableNames names) {
        return new JdbiPartitionLeases(jdbi, names, true);
    }

    @Override
    public List<String> heartbeat(String subscription, String node, Duration ttl) {
        Names.check("Subscription name", subscription);
        Names.check("Node name", node);
        long millis = ttl(ttl);
        return db.call("record the heartbeat of node \"" + node + "\"", true,
                connection -> beat(connection, subscription, node, millis));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction: the count is recorded by the first node (an unclaimed row for partition 0, inserted unless
     * one exists, so two first nodes with different counts queue on its key and the second sees the first's count),
     * checked, and only then is the heartbeat written. A refused node's old heartbeat row is deleted in the same
     * transaction.
     */
    @Override
    public List<String> heartbeat(String subscription, String node, int partitions, Duration ttl) {
        Names.check("Node name", node);
        // Validates the subscription name and the count.
        new PartitionLease(subscription, 0, partitions, node, 0);
        long millis = ttl(ttl);
        Object result = db.call("record the heartbeat of node \"" + node + "\"", true, connection -> {
            Integer other = recordedOtherCount(connection, subscription, partitions);
            if (other == NONE_RECORDED) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + leases
                        + " (subscription, part, partitions, owner, token, expires_at) VALUES (?, 0, ?, NULL, 0, 0)"
                        + " ON CONFLICT (subscription, part) DO NOTHING")) {
                    insert.setString(1, subscription);
                    insert.setInt(2, partitions);
                    insert.executeUpdate();
                }
                // A first node that recorded its count meanwhile is waited for by the insert, then seen here.
                other = otherCount(connection, subscription, partitions);
            }
            if (other != null) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + nodes
                        + " WHERE subscription = ? AND node = ?")) {
                    delete.setString(1, subscription);
                    delete.setString(2, node);
                    delete.executeUpdate();
                }
                return other;
            }
            return beat(connection, subscription, node, millis);
        });
        if (result instanceof Integer recorded) {
            throw new PartitionCountMismatchException(subscription, recorded, partitions);
        }
        @SuppressWarnings("unchecked")
        List<String> live = (List<String>) result;
        return live;
    }

    /**
     * {@link #recordedOtherCount}'s answer when the subscription has no row yet: no count is recorded (compared by
     * identity; a real count is never this instance).
     */
    private static final Integer NONE_RECORDED = Integer.MIN_VALUE;

    /**
     * In one query (a running node's heartbeat): {@link #NONE_RECORDED} when {@code subscription} has no row, else
     * as {@link #otherCount}.
     */
    private Integer recordedOtherCount(Connection connection, String subscription, int partitions)
            throws SQLException {
        try (PreparedStatement counts = connection.prepareStatement("SELECT min(partitions), max(partitions) FROM "
                + leases + " WHERE subscription = ?")) {
            counts.setString(1, subscription);
            try (ResultSet rows = counts.executeQuery()) {
                rows.next();
                int least = rows.getInt(1);
                if (rows.wasNull()) {
                    return NONE_RECORDED;
                }
                int most = rows.getInt(2);
                return least != partitions ? Integer.valueOf(least) : most != partitions ? Integer.valueOf(most) : null;
            }
        }
    }

    /** The count of a row of {@code subscription} with another count than {@code partitions}, or null. */
    private Integer otherCount(Connection connection, String subscription, int partitions) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT partitions FROM " + leases
                + " WHERE subscription = ? AND partitions <> ? LIMIT 1")) {
            count.setString(1, subscription);
            count.setInt(2, partitions);
            try (ResultSet rows = count.executeQuery()) {
                return rows.next() ? rows.getInt(1) : null;
            }
        }
    }

    private List<String> beat(Connection connection, String subscription, String node, long millis)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + nodes
                + " (subscription, node, expires_at) VALUES (?, ?, " + now + " + ?) ON CONFLICT (subscription,"
                + " node) DO UPDATE SET expires_at = excluded.expires_at")) {
            upsert.setString(1, subscription);
            upsert.setString(2, node);
            upsert.setLong(3, millis);
            upsert.executeUpdate();
        }
        // Nodes gone for a minute are forgotten.
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM " + nodes
                + " WHERE subscription = ? AND expires_at < " + now + " - 60000")) {
            forget.setString(1, subscription);
            forget.executeUpdate();
        }
        List<String> live = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT node FROM " + nodes
                + " WHERE subscription = ? AND expires_at > " + now + " ORDER BY node")) {
            select.setString(1, subscription);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    live.add(rows.getString(1));
                }
            }
        }
        return live;
    }

    @Override
    public Optional<PartitionLease> tryClaim(String subscription, int partition, int partitions, String node,
                                             Duration ttl) {
        Names.check("Node name", node);
        // Validates the subscription name and the partition.
        new PartitionLease(subscription, partition, partitions, node, 0);
        long millis = ttl(ttl);
        return db.call("claim partition " + partition + " of \"" + subscription + "\"", true, connection -> {
            Integer other = otherCount(connection, subscription, partitions);
            if (other != null) {
                throw new PartitionCountMismatchException(subscription, other, partitions);
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + leases
                    + " (subscription, part, partitions, owner, token, expires_at) VALUES (?, ?, ?, NULL, 0, 0)"
                    + " ON CONFLICT (subscription, part) DO NOTHING")) {
                insert.setString(1, subscription);
                insert.setInt(2, partition);
                insert.setInt(3, partitions);
                insert.executeUpdate();
            }
            try (PreparedStatement claim = connection.prepareStatement("UPDATE " + leases + " SET owner = ?,"
                    + " token = token + 1, expires_at = " + now + " + ? WHERE subscription = ? AND part = ?"
                    + " AND (owner IS NULL OR owner = ? OR expires_at <= " + now + ") RETURNING token")) {
                claim.setString(1, node);
                claim.setLong(2, millis);
                claim.setString(3, subscription);
                claim.setInt(4, partition);
                claim.setString(5, node);
                try (ResultSet rows = claim.executeQuery()) {
                    return rows.next() ? Optional.of(new PartitionLease(subscription, partition, partitions, node,
                            rows.getLong(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<PartitionLease> renew(String subscription, String node, Duration ttl) {
        long millis = ttl(ttl);
        return db.call("renew the leases of node \"" + node + "\"", true, connection -> {
            List<PartitionLease> held = new ArrayList<>();
            try (PreparedStatement renew = connection.prepareStatement("UPDATE " + leases + " SET expires_at = "
                    + now + " + ? WHERE subscription = ? AND owner = ? AND expires_at > " + now
                    + " RETURNING part, partitions, token")) {
                renew.setLong(1, millis);
                renew.setString(2, subscription);
                renew.setString(3, node);
                try (ResultSet rows = renew.executeQuery()) {
                    while (rows.next()) {
                        held.add(new PartitionLease(subscription, rows.getInt(1), rows.getInt(2), node,
                                rows.getLong(3)));
                    }
                }
            }
            return held;
        });
    }

    @Override
    public void release(PartitionLease lease) {
        Objects.requireNonNull(lease, "lease");
        db.call("release partition " + lease.partition() + " of \"" + lease.subscription() + "\"", true,
                connection -> {
                    try (PreparedStatement release = connection.prepareStatement("UPDATE " + leases
                            + " SET owner = NULL, expires_at = " + now + " WHERE subscription = ? AND part = ?"
                            + " AND owner = ? AND token = ?")) {
                        release.setString(1, lease.subscription());
                        release.setInt(2, lease.partition());
                        release.setString(3, lease.owner());
                        release.setLong(4, lease.token());
                        return release.executeUpdate();
                    }
                });
    }

    @Override
    public void leave(String subscription, String node) {
        db.call("remove node \"" + node + "\" of \"" + subscription + "\"", true, connection -> {
            try (PreparedStatement release = connection.prepareStatement("UPDATE " + leases + " SET owner = NULL,"
                    + " expires_at = " + now + " WHERE subscription = ? AND owner = ?")) {
                release.setString(1, subscription);
                release.setString(2, node);
                release.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + nodes
                    + " WHERE subscription = ? AND node = ?")) {
                delete.setString(1, subscription);
                delete.setString(2, node);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public boolean isHeld(PartitionLease lease) {
        Objects.requireNonNull(lease, "lease");
        return db.call("check the lease of partition " + lease.partition(), false,
                connection -> held(connection, lease, false));
    }

    private boolean held(java.sql.Connection connection, PartitionLease lease, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM " + leases
                + " WHERE subscription = ? AND part = ? AND owner = ? AND token = ? AND expires_at > " + now
                + (lock && !sqlite ? " FOR SHARE" : ""))) {
            select.setString(1, lease.subscription());
            select.setInt(2, lease.partition());
            select.setString(3, lease.owner());
            select.setLong(4, lease.token());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    @Override
    public List<PartitionLeaseStatus> leases(String subscription) {
        Names.check("Subscription name", subscription);
        return db.call("list the leases of \"" + subscription + "\"", false, connection -> {
            List<PartitionLeaseStatus> list = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT part, partitions, owner, token,"
                    + " expires_at FROM " + leases + " WHERE subscription = ? ORDER BY part")) {
                select.setString(1, subscription);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        list.add(new PartitionLeaseStatus(rows.getInt(1), rows.getInt(2),
                                Optional.ofNullable(rows.getString(3)), rows.getLong(4),
                                Instant.ofEpochMilli(rows.getLong(5))));
                    }
                }
            }
            return list;
        });
    }

    /**
     * The fence for transactional partitions whose transactions run on a {@link Handle} of this database (such as
     * {@link JdbiTransactor}'s): inside the transaction it checks that the lease still holds with its fencing token
     * and, on PostgreSQL, locks the lease row ({@code FOR SHARE}) until the transaction ends, so no other node can
     * claim the partition before this transaction's checkpoint commits.
     */
    public PartitionFence<Handle> fence() {
        return (handle, lease) -> {
            if (!held(handle.getConnection(), lease, true)) {
                throw new PartitionLostException(lease);
            }
        };
    }

    private static long ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new dev.eskit.InvalidInputException("Lease duration " + ttl + " must be positive.");
        }
        return ttl.toMillis();
    }
}
