package dev.eskit.jdbi;

import dev.eskit.codec.EventCodec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives each test fresh, isolated stores of one database kind and closes them after the
 * test. Register it with {@code @RegisterExtension static final Databases DB = new SqliteDatabases();}.
 */
abstract class Databases implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    /** Where one store lives: a database file, or a table prefix in the test class's schema. */
    interface Location {
        /** A builder for a store at this location. */
        JdbiEventStore.Builder builder(EventCodec codec);

        /** A plain JDBC connection to the location's database, for poking at the tables from outside. */
        Connection rawConnection() throws SQLException;

        /** A data source for the location's database. */
        javax.sql.DataSource dataSource();

        /** A builder for a store at this location on {@link #dataSource()}. */
        JdbiEventStore.Builder onDataSource(EventCodec codec);

        /** Arguments for {@link CrashWriterMain} that open this location. */
        List<String> childArguments();
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    /** A new, empty location. */
    abstract Location newLocation();

    /** The database kind, for messages. */
    abstract String kind();

    /** A new store on a new location, with the test event types; closed after the test. */
    final JdbiEventStore newStore() {
        return open(newLocation());
    }

    /** A store on {@code location} with the test event types; closed after the test. */
    final JdbiEventStore open(Location location) {
        return open(location, builder -> builder);
    }

    /** A store on {@code location} with extra settings; closed after the test. */
    final JdbiEventStore open(Location location, UnaryOperator<JdbiEventStore.Builder> settings) {
        return track(settings.apply(location.builder(TestEvents.codec())).build());
    }

    /** Closes {@code closeable} after the test. */
    final <T extends AutoCloseable> T track(T closeable) {
        synchronized (open) {
            open.add(closeable);
        }
        return closeable;
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

    private int depth;

    /**
     * Runs once before the outermost test class (nested classes inherit the extension and call it again, so the
     * callbacks count how deep they are).
     */
    @Override
    public final synchronized void beforeAll(ExtensionContext context) throws Exception {
        if (depth++ == 0) {
            setUp(context);
        }
    }

    @Override
    public final synchronized void afterAll(ExtensionContext context) throws Exception {
        if (--depth == 0) {
            tearDown();
        }
    }

    /** Prepares the class's databases. */
    void setUp(ExtensionContext context) throws Exception {
    }

    /** Removes the class's databases. */
    void tearDown() throws Exception {
    }
}
