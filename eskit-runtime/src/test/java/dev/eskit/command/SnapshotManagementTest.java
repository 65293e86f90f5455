package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Snapshot management: minimum age, asynchronous saving, rebuilding and invalidating. */
class SnapshotManagementTest {

    private static final StreamRef C1 = StreamRef.of("counter", "c-1");
    private static final StateCodec<Integer> CODEC = StateCodec.json(Integer.class);

    private final EventStore store = EventStore.inMemory(Counter.TYPES);
    private final SnapshotStore snapshots = SnapshotStore.inMemory();

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aNewSnapshotWaitsUntilTheCurrentOneHasTheMinimumAge() {
        ManualClock clock = new ManualClock();
        CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(store, new Counter().decider(),
                "counter").snapshots(snapshots, CODEC, 2).snapshotMinAge(Duration.ofMinutes(1)).clock(clock).build();
        for (int i = 0; i < 2; i++) {
            handler.handle("c-1", new Increment("c-1", 1));
        }
        assertEquals(2, snapshots.load(C1).orElseThrow().version(), "the first snapshot has no age to wait for");
        for (int i = 0; i < 4; i++) {
            handler.handle("c-1", new Increment("c-1", 1));
        }
        assertEquals(2, snapshots.load(C1).orElseThrow().version(), "4 events later, but younger than a minute");
        clock.now = clock.now.plusSeconds(61);
        handler.handle("c-1", new Increment("c-1", 1));
        Snapshot next = snapshots.load(C1).orElseThrow();
        assertEquals(7, next.version());
        assertEquals(clock.now, next.timestamp());
        assertThrows(InvalidInputException.class, () -> CommandHandler.builder(store, new Counter().decider(),
                "counter").snapshotMinAge(Duration.ofSeconds(-1)));
    }

    @Test
    void snapshotsAreSavedOnTheExecutorNotOnTheCommandPath() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        Executor later = queued::add;
        CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(store, new Counter().decider(),
                "counter").snapshots(snapshots, CODEC, 1).snapshotsAsync(later).build();
        handler.handle("c-1", new Increment("c-1", 5));
        handler.handle("c-1", new Increment("c-1", 1)); // skipped: a save of this stream is still queued
        assertTrue(snapshots.load(C1).isEmpty(), "the command returned before the snapshot was written");
        assertEquals(1, queued.size());
        queued.remove(0).run();
        assertEquals(1, snapshots.load(C1).orElseThrow().version());
        handler.handle("c-1", new Increment("c-1", 1));
        queued.remove(0).run();
        Snapshot latest = snapshots.load(C1).orElseThrow();
        assertEquals(3, latest.version());
        assertEquals(7, CODEC.decode(latest.data()));
    }

    @Test
    void concurrentCommandsWithAsynchronousSnapshotsKeepTheSnapshotConsistent() throws Exception {
        java.util.concurrent.ExecutorService saver = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(store, new Counter().decider(),
                    "counter").snapshots(snapshots, CODEC, 3).snapshotsAsync(saver)
                    .retry(dev.eskit.Retry.attempts(50)).build();
            CountDownLatch done = new CountDownLatch(200);
            for (int i = 0; i < 200; i++) {
                writers.execute(() -> {
                    try {
                        handler.handle("c-1", new Increment("c-1", 1));
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            saver.shutdown();
            assertTrue(saver.awaitTermination(30, TimeUnit.SECONDS));
            Snapshot last = snapshots.load(C1).orElseThrow();
            assertEquals(last.version(), (long) CODEC.decode(last.data()), "each snapshot's state is its version's");
            assertEquals(200, handler.handle("c-1", new Counter.Noop("c-1")).state());
        } finally {
            saver.shutdownNow();
            writers.shutdownNow();
        }
    }

    @Test
    void rebuildFoldsTheWholeStreamAndInvalidateDeletesEverySnapshotOfTheType() {
        CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(store, new Counter().decider(),
                "counter").snapshots(snapshots, CODEC, 100).build();
        for (int i = 0; i < 5; i++) {
            handler.handle("c-" + i, new Increment("c-" + i, i + 1));
        }
        snapshots.save(new Snapshot(StreamRef.of("other", "o-1"), 1, "x", new byte[] {1}, Instant.now()));
        assertTrue(snapshots.load(C1).isEmpty(), "every 100: none yet");
        // A wrong snapshot is replaced by a rebuild from the events.
        snapshots.save(new Snapshot(C1, 1, CODEC.schema(), "999".getBytes(), Instant.now()));
        assertEquals(1, handler.rebuildSnapshot("c-1"));
        assertEquals(2, CODEC.decode(snapshots.load(C1).orElseThrow().data()));
        assertEquals(0, handler.rebuildSnapshot("nobody"));
        for (int i = 0; i < 5; i++) {
            handler.rebuildSnapshot("c-" + i);
        }
        assertEquals(5, handler.invalidateSnapshots());
        assertTrue(snapshots.load(C1).isEmpty());
        assertTrue(snapshots.load(StreamRef.of("other", "o-1")).isPresent(), "other stream types are kept");
        assertEquals(1, snapshots.deleteAll());
        assertThrows(IllegalStateException.class,
                () -> CommandHandler.of(store, new Counter().decider(), "counter").rebuildSnapshot("c-1"));
    }

    @Test
    void aTenantInvalidatesOnlyItsOwnSnapshots() {
        TenantScope acme = TenantScope.of(TenantId.of("acme"));
        CommandHandler<Integer, Command, Event> tenant = CommandHandler.builder(acme.events(store),
                new Counter().decider(), "counter").snapshots(snapshots, CODEC, 1).build();
        CommandHandler<Integer, Command, Event> shared = CommandHandler.builder(store, new Counter().decider(),
                "counter").snapshots(snapshots, CODEC, 1).build();
        tenant.handle("c-1", new Increment("c-1", 1));
        shared.handle("c-1", new Increment("c-1", 1));
        assertEquals(1, tenant.invalidateSnapshots());
        assertTrue(snapshots.load(C1).isPresent(), "the shared stream's snapshot stays");
        assertTrue(snapshots.load(StreamRef.of("acme::counter", "c-1")).isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> acme.snapshots(snapshots).deleteAll());
    }
}
