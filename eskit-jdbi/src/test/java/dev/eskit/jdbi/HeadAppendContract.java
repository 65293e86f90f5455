package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The append at a known last event ({@link JdbiEventStore#appendAtHead}) on each database: it writes only to an open
 * stream at the expected version whose event there has the given id, and otherwise nothing, also for a stream deleted
 * and started again up to the same version.
 */
abstract class HeadAppendContract {

    abstract Databases db();

    /** A new store for one test (with the database's default settings unless overridden). */
    JdbiEventStore newStore() {
        return db().newStore();
    }

    static AppendRequest request(StreamRef stream, long version, Object... events) {
        return new AppendRequest(stream, ExpectedVersion.exactly(version), List.of(events), Metadata.empty(), null);
    }

    static Marked marked(String nonce) {
        return new Marked("head", 0, 0, 1, nonce);
    }

    @Test
    void appendsOnlyWhenTheStreamIsOpenAtTheVersionWithThatLastEvent() {
        JdbiEventStore store = newStore();
        StreamRef stream = StreamRef.of("head", "s-1");
        assertTrue(store.appendsAtHead());
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a"), marked("b")));
        UUID head = store.load(stream).get(1).id();

        assertFalse(store.appendAtHead(request(stream, 2, marked("x")), UUID.randomUUID()).isPresent(),
                "another last event");
        assertFalse(store.appendAtHead(request(stream, 1, marked("x")), head).isPresent(), "another version");
        assertFalse(store.appendAtHead(request(StreamRef.of("head", "none"), 2, marked("x")), head).isPresent(),
                "no such stream");
        assertFalse(store.appendAtHead(new AppendRequest(stream, ExpectedVersion.exactly(2), List.of(marked("x")),
                Metadata.empty(), "key-1"), head).isPresent(), "an idempotency key: not this way");
        store.archive(stream);
        assertFalse(store.appendAtHead(request(stream, 2, marked("x")), head).isPresent(), "archived");
        store.restore(stream);
        assertEquals(2, store.streamVersion(stream), "the refusals wrote nothing");
        assertEquals(2, store.load(stream).size());

        AppendResult one = store.appendAtHead(request(stream, 2, marked("c")), head).orElseThrow();
        AppendResult two = store.appendAtHead(request(stream, 3, marked("d")), one.events().get(0).id())
                .orElseThrow();
        assertFalse(store.appendAtHead(request(stream, 3, marked("y")), one.events().get(0).id()).isPresent(),
                "the head moved on");
        List<StoredEvent<Object>> events = store.load(stream);
        assertEquals(4, events.size());
        assertEquals(4, store.streamVersion(stream));
        assertEquals(one.events().get(0).id(), events.get(2).id());
        assertEquals(one.events().get(0).position(), events.get(2).position());
        assertEquals(two.events().get(0).position(), events.get(3).position());
        assertEquals(marked("d"), events.get(3).data());
        assertTrue(events.get(3).position().isAfter(events.get(2).position()));
        // A command handler's events after the refusals: the stream as a fresh fold reads it.
        assertEquals(List.of(marked("a"), marked("b"), marked("c"), marked("d")),
                events.stream().map(StoredEvent::data).toList());
    }

    @Test
    void aStreamDeletedAndStartedAgainToTheSameVersionIsRefused() {
        JdbiEventStore store = newStore();
        StreamRef stream = StreamRef.of("head", "again");
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a"), marked("b")));
        UUID head = store.load(stream).get(1).id();
        store.delete(stream);
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("c"), marked("d")));
        assertFalse(store.appendAtHead(request(stream, 2, marked("x")), head).isPresent());
        assertEquals(List.of(marked("c"), marked("d")), store.load(stream).stream().map(StoredEvent::data).toList());
    }


    /** Several threads append at the head they last read, on two streams: every append that reports success is there. */
    @Test
    void concurrentAppendsAtTheirHeadsLoseNothingAndWriteNothingTwice() throws Exception {
        JdbiEventStore store = newStore();
        List<StreamRef> streams = List.of(StreamRef.of("head", "h-0"), StreamRef.of("head", "h-1"));
        for (StreamRef stream : streams) {
            store.append(stream, ExpectedVersion.noStream(), List.of(marked("start")));
        }
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<List<UUID>>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                List<UUID> written = new java.util.ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    StreamRef stream = streams.get((thread + i) % 2);
                    List<StoredEvent<Object>> events = store.load(stream);
                    StoredEvent<Object> last = events.get(events.size() - 1);
                    store.appendAtHead(request(stream, last.version(), marked(thread + "-" + i)), last.id())
                            .ifPresent(result -> written.add(result.events().get(0).id()));
                }
                return written;
            }));
        }
        start.countDown();
        java.util.Set<UUID> acknowledged = new java.util.HashSet<>();
        for (java.util.concurrent.Future<List<UUID>> future : done) {
            acknowledged.addAll(future.get(120, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertTrue(acknowledged.size() >= 150, "the threads took turns: at least a quarter of the tries got through");
        java.util.Set<UUID> stored = new java.util.HashSet<>();
        for (StreamRef stream : streams) {
            List<StoredEvent<Object>> events = store.load(stream);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, events.get(i).version(), "gap-free");
                if (i > 0) {
                    stored.add(events.get(i).id());
                }
            }
        }
        assertEquals(acknowledged, stored, "exactly the acknowledged appends are stored");
    }
}
