package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The versioned schema: shipped scripts, auto-migration off, and a migrations table that is not eskit's. */
abstract class SchemaContract {

    static final List<String> SCRIPTS = Migrations.SCRIPTS.stream().map(Migrations.Script::file).toList();

    abstract Databases db();

    /** The scripts' folder: {@code "sqlite"} or {@code "postgres"}. */
    abstract String folder();

    /** The schema qualifier of {@code location}'s tables ({@code "schema."} or empty). */
    abstract String schemaOf(Databases.Location location);

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void withAutoMigrationOffTheStoreRefusesMissingTablesAndOpensTablesMadeByTheShippedScripts() throws Exception {
        Databases.Location location = db().newLocation();
        StoreConfigurationException missing = assertThrows(StoreConfigurationException.class,
                () -> db().open(location, builder -> builder.autoMigrate(false)));
        assertTrue(missing.getMessage().contains("dev/eskit/jdbi/" + folder()), missing.getMessage());
        // What Flyway or Liquibase would do with the scripts eskit-jdbi ships.
        JdbiEventStore creator = db().open(location);
        String qualifier = creator.tableNames().render("{q}");
        creator.close();
        try (Connection connection = location.rawConnection()) {
            execute(connection, "DROP TABLE " + qualifier + "schema_migrations");
            for (String table : List.of("tags", "events", "streams", "idempotency", "snapshots", "checkpoints",
                    "todo", "dead_letters", "subject_keys", "command_log", "command_queue", "partition_leases",
                    "partition_nodes", "seq_floor")) {
                execute(connection, "DROP TABLE IF EXISTS " + qualifier + table);
            }
            runScripts(connection, qualifier, SCRIPTS);
        }
        JdbiEventStore store = db().open(location, builder -> builder.autoMigrate(false));
        store.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        assertEquals(1, store.streamVersion(StreamRef.of("account", "a")));
        assertEquals(JdbiSchema.version(), store.raw().stats().schemaVersion());
    }

    /** Runs shipped scripts as Flyway or Liquibase would. */
    private void runScripts(Connection connection, String qualifier, List<String> scripts) throws IOException,
            SQLException {
        for (String script : scripts) {
            try (InputStream in = JdbiEventStore.class.getResourceAsStream("/dev/eskit/jdbi/" + folder() + "/"
                    + script)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String prefix = qualifier.substring(qualifier.indexOf('.') + 1);
                for (String statement : text.replace("${q}", qualifier).replace("${p}", prefix).split(";\n")) {
                    String sql = statement.lines().filter(line -> !line.startsWith("--"))
                            .reduce("", (a, b) -> a + "\n" + b).strip();
                    if (!sql.isEmpty()) {
                        execute(connection, sql);
                    }
                }
            }
        }
    }

    @Test
    void aStreamTombstonedAtSchemaVersion3KeepsItsTombstoneWithoutReasonOrTimeAfterMigration4() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore creator = db().open(location);
        String qualifier = creator.tableNames().render("{q}");
        creator.close();
        StreamRef old = StreamRef.of("account", "closed-long-ago");
        try (Connection connection = location.rawConnection()) {
            execute(connection, "DROP TABLE " + qualifier + "schema_migrations");
            for (String table : List.of("tags", "events", "streams", "idempotency", "snapshots", "checkpoints",
                    "todo", "dead_letters", "subject_keys", "command_log", "command_queue", "seq_floor")) {
                execute(connection, "DROP TABLE IF EXISTS " + qualifier + table);
            }
            runScripts(connection, qualifier, SCRIPTS.subList(0, 3));
            execute(connection, "INSERT INTO " + qualifier + "streams (stream_type, stream_id, version, status)"
                    + " VALUES ('account', 'closed-long-ago', 0, " + Dialect.TOMBSTONED + ")");
        }
        JdbiEventStore store = db().open(location);
        assertEquals(JdbiSchema.version(), store.raw().stats().schemaVersion());
        assertEquals(dev.eskit.StreamStatus.TOMBSTONED, store.status(old));
        assertEquals(new dev.eskit.Tombstone(old, null, null), store.tombstoneOf(old).orElseThrow());
        StreamRef fresh = StreamRef.of("account", "closed-now");
        store.tombstone(fresh, "closed at version 4");
        assertEquals("closed at version 4", store.tombstoneOf(fresh).orElseThrow().reason());
    }

    @Test
    void aVersionMissingBelowTheNewestIsReportedAndThenApplied() throws Exception {
        // A schema migrated by a build that lacked one version (or by a tool that skipped one) has a gap below its
        // newest version: checks name the gap and migration fills it instead of trusting the newest number.
        Migrations.Script gap = Migrations.SCRIPTS.stream()
                .filter(script -> script.description().equals("command versions in the command queue"))
                .findFirst().orElseThrow();
        Databases.Location location = db().newLocation();
        JdbiEventStore creator = db().open(location);
        String qualifier = creator.tableNames().render("{q}");
        creator.close();
        try (Connection connection = location.rawConnection()) {
            execute(connection, "ALTER TABLE " + qualifier + "command_queue DROP COLUMN command_version");
            execute(connection, "DELETE FROM " + qualifier + "schema_migrations WHERE version = " + gap.version());
        }
        StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                () -> db().open(location, builder -> builder.autoMigrate(false)));
        assertTrue(error.getMessage().contains("[" + gap.version() + "]")
                && error.getMessage().contains("V" + gap.version()), error.getMessage());
        db().open(location).close();
        try (Connection connection = location.rawConnection();
                Statement statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT count(*) FROM " + qualifier + "schema_migrations")) {
                rows.next();
                assertEquals(Migrations.SCRIPTS.size(), rows.getInt(1), "every version recorded once");
            }
            try (var rows = statement.executeQuery("SELECT count(command_version) FROM " + qualifier
                    + "command_queue")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "the column is back (empty queue)");
            }
        }
        JdbiEventStore reopened = db().open(location, builder -> builder.autoMigrate(false));
        assertEquals(JdbiSchema.version(), reopened.raw().stats().schemaVersion());
        reopened.close();
    }

    @Test
    void anApplicationsOwnSchemaMigrationsTableIsRefusedNotTrusted() throws SQLException {
        Databases.Location location = db().newLocation();
        try (Connection connection = location.rawConnection()) {
            // On PostgreSQL every location of the class shares one schema: an empty prefix means one table.
            execute(connection, "DROP TABLE IF EXISTS " + schemaOf(location) + "schema_migrations");
            execute(connection, "CREATE TABLE " + schemaOf(location) + "schema_migrations (version varchar(20)"
                    + " PRIMARY KEY)");
            execute(connection, "INSERT INTO " + schemaOf(location) + "schema_migrations VALUES ('20240101')");
        }
        StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                () -> db().open(location, builder -> builder.tablePrefix("")));
        assertTrue(error.getMessage().contains("is not eskit's"), error.getMessage());
    }

    @Test
    void aMigrationsTableOfTheSameShapeWithOtherRowsIsRefusedToo() throws SQLException {
        Databases.Location location = db().newLocation();
        try (Connection connection = location.rawConnection()) {
            execute(connection, "DROP TABLE IF EXISTS " + schemaOf(location) + "schema_migrations");
            execute(connection, "CREATE TABLE " + schemaOf(location) + "schema_migrations (version INTEGER NOT NULL"
                    + " PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
            execute(connection, "INSERT INTO " + schemaOf(location) + "schema_migrations VALUES (1, 'create users',"
                    + " '2024-01-01')");
        }
        StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                () -> db().open(location, builder -> builder.tablePrefix("")));
        assertTrue(error.getMessage().contains("create users"), error.getMessage());
    }
}
