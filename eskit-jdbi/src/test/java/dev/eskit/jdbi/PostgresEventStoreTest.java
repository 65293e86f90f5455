package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store on PostgreSQL. */
class PostgresEventStoreTest extends JdbiEventStoreContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void positionsCarryTheWritingTransactionAndOneAppendSharesIt() {
        JdbiEventStore store = DB.newStore();
        List<StoredEvent<Object>> first = store.append(A, ExpectedVersion.noStream(), deposits(3)).events();
        List<StoredEvent<Object>> second = store.append(B, ExpectedVersion.noStream(), deposits(1)).events();
        long tx = first.get(0).position().commitOrder();
        assertTrue(tx > 0);
        for (StoredEvent<Object> event : first) {
            assertEquals(tx, event.position().commitOrder());
        }
        assertTrue(second.get(0).position().commitOrder() > tx);
        assertEquals(first, store.readAll(Position.START, 3));
    }

    @Test
    void aReaderSeesNothingPastAnOpenTransactionAndSkipsNothingOnceItCommits() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JdbiEventStore store = DB.open(DB.newLocation(), builder -> builder.appendHook(stream -> {
            if (stream.equals(A)) {
                inside.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // The slow append to A gets its transaction id first; the quick append to B commits first.
            Future<?> slow = pool.submit(() -> store.append(A, ExpectedVersion.noStream(), deposits(2)));
            assertTrue(inside.await(60, TimeUnit.SECONDS));
            store.append(B, ExpectedVersion.noStream(), deposits(1));
            assertEquals(List.of(), store.readAll(Position.START, 100),
                    "B committed, but an earlier transaction is still open: the reader must wait, not skip");
            release.countDown();
            slow.get(60, TimeUnit.SECONDS);
            List<StoredEvent<Object>> log = store.readAll(Position.START, 100);
            assertEquals(3, log.size());
            assertEquals(A, log.get(0).stream());
            assertEquals(A, log.get(1).stream());
            assertEquals(B, log.get(2).stream());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void appendsWorkWhenThePoolDefaultsToSerializableTransactions() throws Exception {
        String url = Databases.postgresUrl() + (Databases.postgresUrl().contains("?") ? "&" : "?")
                + "options=-c%20default_transaction_isolation%3Dserializable";
        JdbiEventStore store = DB.track(JdbiEventStore.builder(TestEvents.codec()).url(url).schema(DB.schema())
                .tablePrefix("serializable_").maxConnections(8).build());
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        store.append(A, ExpectedVersion.any(), deposits(1));
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
        assertEquals(threads * 10, store.load(A).size());
        assertEquals(threads * 10, store.streamVersion(A));
    }

    @Test
    void aVersionWrittenBehindTheStoresBackIsReportedAsAConflictWithTheActualVersion() throws SQLException {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        try (Connection raw = location.rawConnection();
             PreparedStatement insert = raw.prepareStatement("INSERT INTO " + store.tableNames().events()
                     + " (seq, id, stream_type, stream_id, version, event_type, schema_version, created_at, data)"
                     + " VALUES (nextval('" + store.tableNames().table("events_seq") + "'), ?, ?, ?, 2,"
                     + " 'test.Deposited', 1, now(), ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, A.type());
            insert.setString(3, A.id());
            insert.setBytes(4, "{\"account\":\"a\",\"cents\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
        ConcurrencyException error = org.junit.jupiter.api.Assertions.assertThrows(ConcurrencyException.class,
                () -> store.append(A, ExpectedVersion.exactly(1), deposits(1)));
        assertEquals(2, error.actualVersion());
        assertEquals(2, store.load(A).size());
    }
}
