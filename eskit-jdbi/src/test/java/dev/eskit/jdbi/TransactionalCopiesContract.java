package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A transactional subscription saves its checkpoint only where its run left it, so a second copy of it (which would
 * apply every event again: found by an outside trial, a read model counting each event twice) rolls back at its
 * first save and stops, saying why; and one whose checkpoint store is not where its transactor saves stops instead
 * of replaying the log at every start.
 */
abstract class TransactionalCopiesContract {

    static final Duration WAIT = Duration.ofSeconds(60);

    abstract Databases db();

    private static Subscription copy(JdbiEventStore store, CheckpointStore checkpoints, Jdbi jdbi, String table) {
        return Subscription.builder("counted", store, checkpoints)
                .transactional(JdbiTransactor.of(jdbi, store), (handle, event) -> handle.execute(
                        "INSERT INTO " + table + " (cents) VALUES (?)", ((Deposited) event.data()).cents()))
                .checkpointEvery(7)
                .build();
    }

    private static List<Long> applied(Jdbi jdbi, String table) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT cents FROM " + table + " ORDER BY cents")
                .mapTo(Long.class).list());
    }

    @Test
    void aSecondCopyStopsAtItsFirstSaveAndNoEventIsAppliedTwice() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        String table = store.tableNames().checkpoints().replace("checkpoints", "counted");
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE " + table + " (cents BIGINT NOT NULL)"));
        int events = 60;
        try (Subscription one = copy(store, store.checkpoints(), jdbi, table).start();
             Subscription two = copy(store, store.checkpoints(), jdbi, table).start()) {
            // Both have read their (missing) checkpoint before any event exists, as two nodes started together.
            assertTrue(one.awaitCaughtUp(WAIT));
            assertTrue(two.awaitCaughtUp(WAIT));
            Position last = null;
            for (int i = 1; i <= events; i++) {
                last = store.append(StreamRef.of("account", "a-" + (i % 5)), ExpectedVersion.any(),
                        List.of(new Deposited("a", i))).lastPosition();
            }
            boolean oneDone = one.awaitPosition(last, WAIT);
            boolean twoDone = two.awaitPosition(last, WAIT);
            assertTrue(oneDone != twoDone, "exactly one copy went on: " + oneDone + ", " + twoDone);
            Subscription stopped = oneDone ? two : one;
            assertFalse(stopped.isRunning());
            String why = stopped.lastError().orElseThrow().getMessage();
            assertTrue(why.contains("is no longer at") && why.contains("Run one copy at a time"), why);
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= events; i++) {
            expected.add(i);
        }
        assertEquals(expected, applied(jdbi, table), "every event applied once");
    }

    @Test
    void aCheckpointStoreThatIsNotWhereTheTransactorSavesStopsTheSecondRunInsteadOfReplaying() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        String table = store.tableNames().checkpoints().replace("checkpoints", "counted");
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE " + table + " (cents BIGINT NOT NULL)"));
        Position last = null;
        for (int i = 1; i <= 10; i++) {
            last = store.append(StreamRef.of("account", "a"), ExpectedVersion.any(), List.of(new Deposited("a", i)))
                    .lastPosition();
        }
        try (Subscription first = copy(store, CheckpointStore.inMemory(), jdbi, table).start()) {
            assertTrue(first.awaitPosition(last, WAIT));
        }
        try (Subscription again = copy(store, CheckpointStore.inMemory(), jdbi, table).start()) {
            assertFalse(again.awaitPosition(last, WAIT), "it stopped");
            assertTrue(again.lastError().orElseThrow().getMessage().contains("CheckpointStore"));
        }
        assertEquals(10, applied(jdbi, table).size(), "not replayed");
    }
}
