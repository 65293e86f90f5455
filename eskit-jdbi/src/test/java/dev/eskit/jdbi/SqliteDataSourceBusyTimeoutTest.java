package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A SQLite store on the application's data source sets its busy timeout on each of the pool's connections once, not
 * before every read (a statement per read), and the connections keep it.
 */
class SqliteDataSourceBusyTimeoutTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Test
    void theBusyTimeoutIsSetOncePerPooledConnection() throws Exception {
        Databases.Location location = DB.newLocation();
        AtomicInteger pragmas = new AtomicInteger();
        HikariConfig config = new HikariConfig();
        config.setDataSource(counting(location.dataSource(), pragmas));
        config.setMaximumPoolSize(3);
        try (HikariDataSource pool = new HikariDataSource(config);
             JdbiEventStore store = JdbiEventStore.builder(JsonEventCodec.create(TestEvents.TYPES)).dataSource(pool)
                     .busyTimeout(Duration.ofMillis(4321)).build()) {
            StreamRef stream = StreamRef.of("account", "a");
            store.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
            int before = pragmas.get();
            for (int i = 0; i < 50; i++) {
                assertEquals(1, store.readAll(Position.START, 10, Set.of()).size());
                assertEquals(1, store.streamVersion(stream));
            }
            int during = pragmas.get() - before;
            assertTrue(during <= 3, "one busy timeout per pooled connection at most, not one per read: " + during);
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("PRAGMA busy_timeout")) {
                row.next();
                assertEquals(4321, row.getInt(1), "the pool's connections keep the store's busy timeout");
            }
        }
    }

    /** {@code target} whose connections count the {@code PRAGMA busy_timeout = …} statements run on them. */
    private static DataSource counting(DataSource target, AtomicInteger pragmas) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection connection ? counting(connection, pragmas) : result;
                });
    }

    private static Connection counting(Connection target, AtomicInteger pragmas) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (result instanceof Statement statement && !(result instanceof java.sql.PreparedStatement)) {
                        return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                                (inner, call, values) -> {
                                    if (call.getName().startsWith("execute") && values != null
                                            && String.valueOf(values[0]).startsWith("PRAGMA busy_timeout =")) {
                                        pragmas.incrementAndGet();
                                    }
                                    return invoke(statement, call, values);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
