package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store on SQLite. */
class SqliteEventStoreTest extends JdbiEventStoreContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void positionsAreDenseAndCarryNoCommitOrder() {
        JdbiEventStore store = DB.newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(3));
        store.append(B, ExpectedVersion.noStream(), deposits(1));
        store.append(A, ExpectedVersion.exactly(3), deposits(2));
        List<StoredEvent<Object>> log = store.readAll(Position.START, 100);
        for (int i = 0; i < log.size(); i++) {
            assertEquals(Position.of(i + 1), log.get(i).position());
        }
    }

    @Test
    void theDatabaseIsInWalModeAndEveryConnectionWaitsForLocks() throws SQLException {
        Databases.Location location = DB.newLocation();
        DB.open(location);
        try (Connection raw = location.rawConnection(); Statement query = raw.createStatement();
             ResultSet row = query.executeQuery("PRAGMA journal_mode")) {
            row.next();
            assertEquals("wal", row.getString(1));
        }
    }

    @Test
    void theUrlFactoryWithEventTypesUsesTheJsonCodec() {
        String url = DB.newLocation().toString();
        JdbiEventStore store = DB.track(JdbiEventStore.sqlite(url, TestEvents.TYPES));
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        assertEquals(deposits(1), List.of(store.load(A).get(0).data()));
    }

    @Test
    void anInMemoryDatabaseIsRefusedWithAHint() {
        StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                () -> JdbiEventStore.sqlite("jdbc:sqlite::memory:", TestEvents.codec()));
        assertTrue(error.getMessage().contains("EventStore.inMemory()"), error.getMessage());
        assertThrows(StoreConfigurationException.class,
                () -> JdbiEventStore.sqlite("jdbc:postgresql://localhost/x", TestEvents.codec()));
    }

    @Test
    void anInMemoryDatabaseBehindADataSourceOrJdbiIsRefusedToo() {
        for (String url : List.of("jdbc:sqlite::memory:", "jdbc:sqlite:file:x?mode=memory&cache=private",
                "jdbc:sqlite:")) {
            org.sqlite.SQLiteDataSource dataSource = new org.sqlite.SQLiteDataSource();
            dataSource.setUrl(url);
            StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                    () -> JdbiEventStore.builder(TestEvents.codec()).dataSource(dataSource).build(), url);
            assertTrue(error.getMessage().contains("in-memory SQLite database"), error.getMessage());
            assertTrue(error.getMessage().contains("EventStore.inMemory()"), error.getMessage());
            assertThrows(StoreConfigurationException.class,
                    () -> JdbiEventStore.create(org.jdbi.v3.core.Jdbi.create(dataSource), TestEvents.codec()), url);
        }
    }

    @Test
    void theJdbiOfAUrlBuiltStoreWritesToTheStoresFileAndSharesAppendTransactions() throws Exception {
        String url = DB.newLocation().toString();
        JdbiEventStore store = DB.track(JdbiEventStore.sqlite(url, TestEvents.TYPES));
        dev.eskit.command.log.CommandLog log = dev.eskit.jdbi.command.JdbiCommandLog.create(store.jdbi(), store);
        AppendRequest request = AppendRequest.of(A, ExpectedVersion.noStream(), List.copyOf(deposits(1)));
        log.appendAndRecord(store, request, result -> new dev.eskit.command.log.CommandLogEntry("c-1",
                "test.Deposit", A, "{}", null, dev.eskit.command.log.CommandOutcome.ACCEPTED, 1,
                result.lastPosition(), result.lastPosition(), 1, null, java.time.Instant.now(),
                java.time.Duration.ZERO));
        try (Connection connection = java.sql.DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM eskit_command_log")) {
            rows.next();
            assertEquals(1, rows.getInt(1));
        }
        assertEquals(1, store.streamVersion(A));
    }

    @Test
    void aSchemaIsRefusedOnSqlite() {
        Databases.Location location = DB.newLocation();
        assertThrows(StoreConfigurationException.class, () -> DB.open(location, builder -> builder.schema("x")));
    }

    @Test
    void twoStoresOnOneFileActLikeTwoProcessesAndKeepPositionsDense() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore first = DB.open(location);
        JdbiEventStore second = DB.open(location);
        int threads = 4;
        int appends = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                JdbiEventStore store = t % 2 == 0 ? first : second;
                StreamRef shared = StreamRef.of("shared", "one");
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < appends; i++) {
                        store.append(shared, ExpectedVersion.any(), deposits(2));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<StoredEvent<Object>> log = first.readAll(Position.START, 10_000);
        assertEquals(threads * appends * 2, log.size());
        for (int i = 0; i < log.size(); i++) {
            assertEquals(Position.of(i + 1), log.get(i).position());
            assertEquals(i + 1, log.get(i).version());
        }
    }
}
