package dev.eskit.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckpointerTest {

    static final long INTERVAL = 1_000;

    final AtomicLong now = new AtomicLong(5_000);
    final CheckpointStore store = CheckpointStore.inMemory();
    final Checkpointer checkpointer = new Checkpointer("sub", store, 3, INTERVAL, now::get);

    @Test
    void loadsTheSavedCheckpointWithNothingUnsaved() {
        assertEquals(Optional.empty(), checkpointer.load());
        assertEquals(Optional.empty(), checkpointer.checkpoint());
        store.save("sub", Position.of(7));
        checkpointer.counted();
        assertEquals(Optional.of(Position.of(7)), checkpointer.load());
        assertEquals(Optional.of(Position.of(7)), checkpointer.checkpoint());
        assertFalse(checkpointer.hasUnsaved());
    }

    @Test
    void isDueAfterEveryNEvents() {
        checkpointer.load();
        checkpointer.counted();
        checkpointer.counted();
        assertTrue(checkpointer.hasUnsaved());
        assertFalse(checkpointer.dueAfterEvent(), "2 of 3");
        checkpointer.counted();
        assertTrue(checkpointer.dueAfterEvent(), "3 of 3");
        checkpointer.save(Position.of(3));
        assertFalse(checkpointer.hasUnsaved());
        assertFalse(checkpointer.dueAfterEvent());
        assertEquals(Optional.of(Position.of(3)), store.load("sub"));
        assertEquals(Optional.of(Position.of(3)), checkpointer.checkpoint());
    }

    @Test
    void isDueByTimeOnlyWithUnsavedProgressOnceTheIntervalHasPassed() {
        checkpointer.load();
        now.addAndGet(INTERVAL * 10);
        assertFalse(checkpointer.dueByTime(), "nothing unsaved");
        checkpointer.load();
        checkpointer.counted();
        now.addAndGet(INTERVAL - 1);
        assertFalse(checkpointer.dueByTime(), "one nanosecond early");
        assertFalse(checkpointer.dueAfterEvent());
        now.addAndGet(1);
        assertTrue(checkpointer.dueByTime(), "exactly the interval");
        assertTrue(checkpointer.dueAfterEvent(), "by time, with fewer than N events");
        checkpointer.save(Position.of(1));
        checkpointer.counted();
        assertFalse(checkpointer.dueByTime(), "the save restarts the interval");
    }

    @Test
    void idleWaitIsCutToWhenUnsavedProgressComesDue() {
        checkpointer.load();
        assertEquals(50_000, checkpointer.idleNanos(50_000), "nothing unsaved: the full idle time");
        checkpointer.counted();
        now.addAndGet(400);
        assertEquals(INTERVAL - 400, checkpointer.idleNanos(50_000));
        assertEquals(100, checkpointer.idleNanos(100), "the idle time when it is shorter");
    }

    @Test
    void aCommittedPositionIsRememberedWithoutSavingItAgain() {
        checkpointer.committed(Position.of(9));
        assertEquals(Optional.of(Position.of(9)), checkpointer.checkpoint());
        assertEquals(Optional.empty(), store.load("sub"), "the transaction saved it, not the checkpointer");
    }

    @Test
    void forgetDeletesTheSavedCheckpoint() {
        checkpointer.save(Position.of(4));
        checkpointer.forget();
        assertEquals(Optional.empty(), store.load("sub"));
        assertEquals(Optional.empty(), checkpointer.checkpoint());
    }
}
