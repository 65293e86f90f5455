package dev.eskit.jdbi.postgres;

import dev.eskit.Names;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.leader.LeaderElection;
import dev.eskit.leader.Leadership;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Leader election on PostgreSQL with session advisory locks, held on one dedicated connection. A leadership is the
 * lock {@code pg_try_advisory_lock(key)}, where the key is a 64-bit hash of the namespace and the role's name;
 * PostgreSQL releases it when the connection ends, so a leader whose process dies frees its roles at once (and one
 * that is cut off by the network, when the server notices: TCP keepalive, {@code tcp_keepalives_idle}).
 *
 * <p>{@link Leadership#isHeld()} re-verifies on the dedicated connection that this session still holds the lock
 * (in {@code pg_locks}); a failed query means the connection, and with it every lock, may be gone, so every
 * leadership of this election is lost from then on (no split brain: the node stops acting). The next
 * {@link #tryAcquire} opens a new connection.
 *
 * <p>The connection must be direct: a transaction-pooling proxy (PgBouncer in transaction mode) would hand the
 * session, and its locks, to other clients. Queries time out after {@code queryTimeoutSeconds}.
 *
 * <pre>{@code
 * try (PostgresLeaderElection election = PostgresLeaderElection.connect("jdbc:postgresql://db/app", "billing")) {
 *     LeaderSupervisor supervisor = LeaderSupervisor.create(election, Duration.ofSeconds(2));
 *     ...
 * }
 * }</pre>
 */
public final class PostgresLeaderElection implements LeaderElection {

    /** Opens connections. */
    @FunctionalInterface
    public interface Connector {
        /** A new connection. */
        Connection connect() throws SQLException;
    }

    private static final int QUERY_TIMEOUT_SECONDS = 5;

    private final Connector connector;
    private final String namespace;
    private Connection connection;
    /** Incremented whenever the connection is replaced or lost: leaderships of an older generation are lost. */
    private long generation;
    private final List<Held> held = new ArrayList<>();

    private PostgresLeaderElection(Connector connector, String namespace) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.namespace = Names.check("Leader election namespace", namespace);
    }

    /**
     * An election on a dedicated connection to {@code url}; roles are keyed by {@code namespace} and name, so use the
     * same namespace on every node of one application (the store's schema is a good choice).
     */
    public static PostgresLeaderElection connect(String url, String namespace) {
        Objects.requireNonNull(url, "url");
        return new PostgresLeaderElection(() -> DriverManager.getConnection(url), namespace);
    }

    /** An election on one connection taken from {@code dataSource} and held (not a transaction-pooled one). */
    public static PostgresLeaderElection on(DataSource dataSource, String namespace) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new PostgresLeaderElection(dataSource::getConnection, namespace);
    }

    /** An election on connections from {@code connector}. */
    public static PostgresLeaderElection on(Connector connector, String namespace) {
        return new PostgresLeaderElection(connector, namespace);
    }

    @Override
    public synchronized Optional<Leadership> tryAcquire(String name) {
        Names.check("Leadership name", name);
        long key = lockKey(namespace, name);
        for (Held existing : held) {
            if (existing.key == key && existing.isHeldLocked()) {
                // Advisory locks are re-entrant within a session; one holder per name on this node.
                return Optional.empty();
            }
        }
        try {
            Connection current = connection();
            try (PreparedStatement statement = current.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                statement.setLong(1, key);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return Optional.empty();
                    }
                }
            }
            Held leadership = new Held(name, key, generation);
            held.add(leadership);
            return Optional.of(leadership);
        } catch (SQLException e) {
            lose();
            throw new StoreAccessException("acquire leadership \"" + name + "\"", e);
        }
    }

    /**
     * Releases every lock this election holds (at once, so that another node can take over without waiting for the
     * server to notice the closed connection) and closes the dedicated connection.
     */
    @Override
    public synchronized void close() {
        if (connection != null) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                statement.execute();
            } catch (SQLException e) {
                // A broken connection: the server releases the locks when it notices.
            }
        }
        lose();
    }

    /**
     * The advisory-lock key of role {@code name} in {@code namespace}: the first 8 bytes of a SHA-256 of both. In
     * {@code pg_locks} it shows as {@code classid = key >>> 32}, {@code objid = key & 0xffffffff},
     * {@code objsubid = 1}, which tells operators which session leads a role.
     */
    public static long lockKey(String namespace, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("eskit-leader\0" + namespace + "\0" + name).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection opened = connector.connect();
            opened.setAutoCommit(true);
            connection = opened;
            generation++;
        }
        return connection;
    }

    /** The connection is gone or suspect: every lock it held may be gone too. */
    private void lose() {
        for (Held leadership : held) {
            leadership.lost = true;
        }
        held.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing a broken connection fails; the server releases its locks either way.
            }
            connection = null;
        }
        generation++;
    }

    private final class Held implements Leadership {
        private final String name;
        private final long key;
        private final long heldGeneration;
        private boolean lost;

        Held(String name, long key, long heldGeneration) {
            this.name = name;
            this.key = key;
            this.heldGeneration = heldGeneration;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isHeld() {
            synchronized (PostgresLeaderElection.this) {
                if (!isHeldLocked()) {
                    return false;
                }
                try (PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks"
                        + " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
                        + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1)")) {
                    statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    statement.setLong(1, key >>> 32);
                    statement.setLong(2, key & 0xffffffffL);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        if (!row.getBoolean(1)) {
                            lost = true;
                            held.remove(this);
                        }
                    }
                } catch (SQLException e) {
                    lose();
                }
                return !lost;
            }
        }

        /** Whether nothing has marked it lost yet; the caller holds the election's monitor. */
        boolean isHeldLocked() {
            return !lost && heldGeneration == generation && connection != null;
        }

        @Override
        public void close() {
            synchronized (PostgresLeaderElection.this) {
                if (!isHeldLocked()) {
                    lost = true;
                    return;
                }
                lost = true;
                held.remove(this);
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    statement.setLong(1, key);
                    statement.execute();
                } catch (SQLException e) {
                    // If the connection is broken, the server has released (or will release) the lock with it.
                    lose();
                }
            }
        }

        @Override
        public String toString() {
            return "PostgresLeadership[" + name + "]";
        }
    }
}
