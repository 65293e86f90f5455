package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.Retry;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.StateCodec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Snapshot management on a database: invalidation by stream type and in full, rebuilds, asynchronous saves. */
abstract class SnapshotManagementContract {

    abstract Databases db();

    private static final StateCodec<Long> CODEC = StateCodec.json(Long.class);
    private static final Decider<Long, Long, Deposited> SUM = Decider.of(() -> 0L,
            (state, cents) -> List.of(new Deposited("x", cents)), (state, event) -> state + event.cents());

    @Test
    void snapshotsAreInvalidatedByStreamTypeOrAllAndRebuiltFromTheEvents() {
        JdbiEventStore store = db().newStore();
        CommandHandler<Long, Long, Deposited> accounts = CommandHandler.builder(store, SUM, "account")
                .snapshots(store.snapshots(), CODEC, 1).build();
        CommandHandler<Long, Long, Deposited> savings = CommandHandler.builder(store, SUM, "savings")
                .snapshots(store.snapshots(), CODEC, 1).build();
        for (int i = 1; i <= 3; i++) {
            accounts.handle("a-" + i, (long) i);
            savings.handle("s-" + i, (long) i);
        }
        assertEquals(3, accounts.invalidateSnapshots());
        assertTrue(store.snapshots().load(StreamRef.of("account", "a-1")).isEmpty());
        assertTrue(store.snapshots().load(StreamRef.of("savings", "s-1")).isPresent(), "other types are kept");
        store.snapshots().save(new Snapshot(StreamRef.of("account", "a-2"), 1, CODEC.schema(), "999".getBytes(),
                Instant.now()));
        assertEquals(1, accounts.rebuildSnapshot("a-2"));
        assertEquals(2L, CODEC.decode(store.snapshots().load(StreamRef.of("account", "a-2")).orElseThrow().data()));
        assertEquals(4, store.snapshots().deleteAll());
        assertEquals(0, store.snapshots().deleteAll());
        assertEquals(12L, accounts.handle("a-2", 10L).state(), "folded from the events after invalidation");
    }

    @Test
    void asynchronousSavesFromManyWritersLeaveAConsistentSnapshot() throws Exception {
        JdbiEventStore store = db().newStore();
        ExecutorService saver = Executors.newSingleThreadExecutor();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            CommandHandler<Long, Long, Deposited> handler = CommandHandler.builder(store, SUM, "account")
                    .snapshots(store.snapshots(), CODEC, 5).snapshotsAsync(saver)
                    .retry(Retry.attempts(100)).build();
            CountDownLatch done = new CountDownLatch(60);
            for (int i = 0; i < 60; i++) {
                writers.execute(() -> {
                    try {
                        handler.handle("a-1", 1L);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(2, TimeUnit.MINUTES));
            saver.shutdown();
            assertTrue(saver.awaitTermination(1, TimeUnit.MINUTES));
            Snapshot last = store.snapshots().load(StreamRef.of("account", "a-1")).orElseThrow();
            assertEquals(last.version(), (long) CODEC.decode(last.data()), "a snapshot's state is its version's");
            assertEquals(61L, handler.handle("a-1", 1L).state());
        } finally {
            saver.shutdownNow();
            writers.shutdownNow();
        }
    }
}
