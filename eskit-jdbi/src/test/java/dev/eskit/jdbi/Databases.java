package dev.eskit.jdbi;

import dev.eskit.codec.EventCodec;
import dev.eskit.testkit.EskitDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * eskit-jdbi's own test extension on top of eskit-testkit's {@link EskitDatabase} (which gives the test class a fresh
 * PostgreSQL schema or SQLite directory, or skips the class when PostgreSQL is unreachable): many isolated stores per
 * class, each at its own {@link Location} (a table prefix in the class's schema, or a file of its own), closed after
 * each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Databases DB = Databases.sqlite();
 * }</pre>
 */
final class Databases implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    /** Where one store lives: a database file, or a table prefix in the test class's schema. */
    interface Location {
        /** A builder for a store at this location. */
        JdbiEventStore.Builder builder(EventCodec codec);

        /** A plain JDBC connection to the location's database, for poking at the tables from outside. */
        Connection rawConnection() throws SQLException;

        /** A data source for the location's database. */
        DataSource dataSource();

        /** A builder for a store at this location on {@link #dataSource()}. */
        JdbiEventStore.Builder onDataSource(EventCodec codec);

        /** Arguments for {@link CrashWriterMain} that open this location. */
        List<String> childArguments();
    }

    private final EskitDatabase database;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();

    private Databases(EskitDatabase database) {
        this.database = database;
    }

    /** Stores in a PostgreSQL schema of the test class's own, one table prefix each. */
    static Databases postgres() {
        return new Databases(EskitDatabase.postgres());
    }

    /** Stores in SQLite files of the test class's own temporary directory, one file each. */
    static Databases sqlite() {
        return new Databases(EskitDatabase.sqlite());
    }

    /** The PostgreSQL server's URL ({@code ESKIT_PG_URL}), without a schema. */
    static String postgresUrl() {
        return EskitDatabase.postgresUrl();
    }

    /** {@code "SQLite"} or {@code "PostgreSQL"}, for messages. */
    String kind() {
        return database.isPostgres() ? "PostgreSQL" : "SQLite";
    }

    /** The test class's PostgreSQL schema ({@code null} for SQLite). */
    String schema() {
        return database.schema();
    }

    /** A new, empty location. */
    Location newLocation() {
        int number = counter.incrementAndGet();
        return database.isPostgres() ? postgresLocation(database.schema(), "s" + number + "_")
                : sqliteLocation("jdbc:sqlite:" + database.directory().resolve("store-" + number + ".db"));
    }

    /** A new store on a new location, with the test event types; closed after the test. */
    JdbiEventStore newStore() {
        return open(newLocation());
    }

    /** A store on {@code location} with the test event types; closed after the test. */
    JdbiEventStore open(Location location) {
        return open(location, builder -> builder);
    }

    /** A store on {@code location} with extra settings; closed after the test. */
    JdbiEventStore open(Location location, UnaryOperator<JdbiEventStore.Builder> settings) {
        return track(settings.apply(location.builder(TestEvents.codec())).build());
    }

    /** Closes {@code closeable} after the test. */
    <T extends AutoCloseable> T track(T closeable) {
        synchronized (open) {
            open.add(closeable);
        }
        return closeable;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        database.afterAll(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        synchronized (open) {
            for (AutoCloseable closeable : open) {
                closeable.close();
            }
            open.clear();
        }
    }

    private static Location postgresLocation(String schema, String prefix) {
        String url = EskitDatabase.postgresUrl();
        return new Location() {
            @Override
            public JdbiEventStore.Builder builder(EventCodec codec) {
                return JdbiEventStore.builder(codec).url(url).schema(schema).tablePrefix(prefix).maxConnections(16);
            }

            @Override
            public Connection rawConnection() throws SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public DataSource dataSource() {
                org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
                source.setURL(url);
                return source;
            }

            @Override
            public JdbiEventStore.Builder onDataSource(EventCodec codec) {
                return JdbiEventStore.builder(codec).dataSource(dataSource()).schema(schema).tablePrefix(prefix);
            }

            @Override
            public List<String> childArguments() {
                return List.of("postgres", url, schema, prefix);
            }

            @Override
            public String toString() {
                return schema + "." + prefix;
            }
        };
    }

    private static Location sqliteLocation(String url) {
        return new Location() {
            @Override
            public JdbiEventStore.Builder builder(EventCodec codec) {
                return JdbiEventStore.builder(codec).url(url);
            }

            @Override
            public Connection rawConnection() throws SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public DataSource dataSource() {
                org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource();
                source.setUrl(url);
                return source;
            }

            @Override
            public JdbiEventStore.Builder onDataSource(EventCodec codec) {
                return JdbiEventStore.builder(codec).dataSource(dataSource());
            }

            @Override
            public List<String> childArguments() {
                return List.of("sqlite", url);
            }

            @Override
            public String toString() {
                return url;
            }
        };
    }
}
