package dev.eskit.jdbi;

import dev.eskit.jdbi.sqlite.Synchronous;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The versioned schema of eskit's tables, for code that works on a {@link Jdbi} without an event store (the todo,
 * dead-letter and subject-key stores): {@link #migrate} creates or migrates every eskit table under the given names,
 * exactly as {@link JdbiEventStore.Builder#build()} does. The same migrations ship as plain SQL scripts under
 * {@code dev/eskit/jdbi/sqlite/} and {@code dev/eskit/jdbi/postgres/} for Flyway or Liquibase (see
 * {@code docs/stores.md}).
 *
 * <pre>{@code
 * JdbiSchema.migrate(jdbi, TableNames.of("billing", "eskit_"));
 * }</pre>
 */
public final class JdbiSchema {

    private JdbiSchema() {
    }

    /**
     * Creates the eskit tables named by {@code names} on {@code jdbi}'s database, or migrates them to this release's
     * schema version; does nothing when they are current.
     *
     * @throws StoreConfigurationException when the database is not supported, or the migrations table is not eskit's
     * @throws StoreAccessException        when the database fails
     */
    public static void migrate(Jdbi jdbi, TableNames names) {
        Objects.requireNonNull(jdbi, "jdbi");
        Objects.requireNonNull(names, "names");
        try (Database db = Database.open(null, jdbi, names.schema(), names.prefix(), Synchronous.NORMAL,
                Duration.ofSeconds(10), 1)) {
            new Migrations(db).migrate();
        }
    }

    /**
     * The database behind {@code connection} as eskit-jdbi tells them apart (the same detection the event store uses):
     * {@code "SQLite"}, {@code "PostgreSQL"}, or the product name the driver reports for another database.
     *
     * @throws SQLException when the driver cannot say
     */
    public static String databaseName(Connection connection) throws SQLException {
        return Database.productOf(Objects.requireNonNull(connection, "connection"));
    }

    /**
     * The database a JDBC URL names, as the event store's builder tells them apart: {@code "SQLite"} for
     * {@code jdbc:sqlite:...}, {@code "PostgreSQL"} for {@code jdbc:postgresql:...}, empty for any other URL.
     */
    public static Optional<String> databaseOfUrl(String url) {
        return Optional.ofNullable(Database.productOrNull(url));
    }

    /** The schema version of the tables this release of eskit-jdbi creates. */
    public static int version() {
        return Migrations.KNOWN;
    }
}
