package dev.eskit.benchmarks;

import dev.eskit.benchmarks.domain.DomainEventTypes;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.JdbiEventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** Opens matching eskit and raw-JDBC targets: a SQLite file each, or a PostgreSQL schema each. */
final class Databases {

    static final EventTypes TYPES = EventTypes.of(new DomainEventTypes());

    private Databases() {
    }

    /** {@code ESKIT_PG_URL} or the local default. */
    static String pgUrl() {
        String url = System.getenv("ESKIT_PG_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : url;
    }

    /** Whether PostgreSQL answers within a few seconds. */
    static boolean postgresReachable() {
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(pgUrl())) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** A fresh directory for SQLite files. */
    static Path tempDirectory() {
        try {
            return Files.createTempDirectory("eskit-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Temp files; the OS cleans up eventually.
        }
    }

    /** A new, empty eskit store: {@code dir/<name>.db} on SQLite or schema {@code <name>} on PostgreSQL. */
    static JdbiEventStore eskit(String db, Path dir, String name) {
        return eskit(db, dir, name, null);
    }

    /**
     * {@link #eskit(String, Path, String)} with group commit on or off ({@code null}: the database's default, on for
     * SQLite, off for PostgreSQL).
     */
    static JdbiEventStore eskit(String db, Path dir, String name, Boolean groupCommit) {
        JsonEventCodec codec = JsonEventCodec.create(TYPES);
        JdbiEventStore.Builder builder = JdbiEventStore.builder(codec);
        if (groupCommit != null) {
            builder.groupCommit(groupCommit);
        }
        if (db.equals("sqlite")) {
            return builder.url("jdbc:sqlite:" + dir.resolve(name + ".db")).build();
        }
        dropSchema(name);
        return builder.url(pgUrl()).schema(name)
                // Up to 32 writer threads: one connection each, as the hand-written side has.
                .maxConnections(40).build();
    }

    /** A new, empty raw store on tables of the same DDL (created by an eskit store, then closed). */
    static RawStore raw(String db, Path dir, String name) {
        eskit(db, dir, name).close();
        try {
            return db.equals("sqlite") ? new RawSqlite("jdbc:sqlite:" + dir.resolve(name + ".db"))
                    : new RawPostgres(pgUrl(), name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the raw store", e);
        }
    }

    /** A new, empty {@link SimpleJdbc} store (its one table in {@code name}, or a SQLite file of that name). */
    static SimpleJdbc simple(String db, Path dir, String name) {
        try {
            if (db.equals("sqlite")) {
                return SimpleJdbc.open(db, "jdbc:sqlite:" + dir.resolve(name + ".db"), name);
            }
            dropSchema(name);
            return SimpleJdbc.open(db, pgUrl(), name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the hand-written store", e);
        }
    }

    /** Drops the PostgreSQL schema an eskit store of a benchmark used, so no tables are left behind. */
    static void dropIfPostgres(String db, String schema) {
        if (db.equals("postgres")) {
            dropSchema(schema);
        }
    }

    static void dropSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(pgUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop schema " + schema, e);
        }
    }
}
