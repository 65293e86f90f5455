package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A command on a 200,000-event stream without snapshots runs in a 64 MB heap: the handler folds the stream as it
 * comes from the database (a cursor), never holding it whole. Held as a list, these events need far more than 64 MB.
 */
class LongStreamCommandTest {

    static final int EVENTS = 200_000;
    static final int BATCH = 10_000;

    static void writeLongStream(JdbiEventStore store) {
        StreamRef stream = StreamRef.of("account", "long");
        List<Deposited> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(new Deposited("long", 1));
        }
        for (int written = 0; written < EVENTS; written += BATCH) {
            store.append(stream, ExpectedVersion.exactly(written), batch);
        }
    }

    static void commandInASmallHeap(Databases db) throws Exception {
        Databases.Location location = db.newLocation();
        JdbiEventStore store = db.open(location);
        writeLongStream(store);
        try (ChildJvm child = ChildJvm.start(LongStreamCommandMain.class, List.of("-Xmx64m"),
                location.childArguments())) {
            String expected = "folded " + (EVENTS + 1) + " " + (EVENTS + 1);
            assertTrue(child.await(expected, Duration.ofMinutes(4)), "the child did not print \"" + expected + "\"");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)));
        }
        assertEquals(EVENTS + 1, store.streamVersion(StreamRef.of("account", "long")));
        readsAfterLongLoads(location);
    }

    /**
     * After a streamed load of the long stream, and after a list load of it that may run out of memory half-way
     * through the rows, the store's other reads keep working on the same two pooled connections (a connection left
     * with unread rows once made a later read fail with "Multiple ResultSets were returned").
     */
    static void readsAfterLongLoads(Databases.Location location) throws Exception {
        try (ChildJvm child = ChildJvm.start(LongStreamReadsMain.class, List.of("-Xmx64m"),
                location.childArguments())) {
            assertTrue(child.await("streamed " + (EVENTS + 1), Duration.ofMinutes(4)), "no streamed load");
            assertTrue(child.await("reads ok after the streamed load", Duration.ofMinutes(2)),
                    "reads failed after the streamed load");
            assertTrue(child.await("list load done", Duration.ofMinutes(4)), "no list load");
            assertTrue(child.await("reads ok after the list load", Duration.ofMinutes(2)),
                    "reads failed after the list load");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)));
        }
    }

    @Nested
    class OnSqlite {
        @RegisterExtension
        static final Databases DB = Databases.sqlite();

        @Test
        void aCommandOnA200000EventStreamRunsIn64Megabytes() throws Exception {
            commandInASmallHeap(DB);
        }
    }

    @Nested
    class OnPostgres {
        @RegisterExtension
        static final Databases DB = Databases.postgres();

        @Test
        void aCommandOnA200000EventStreamRunsIn64Megabytes() throws Exception {
            commandInASmallHeap(DB);
        }
    }
}
