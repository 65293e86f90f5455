package dev.eskit.subscription;

import dev.eskit.Position;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When and where a subscription's checkpoint is saved: after every {@code every} events handled, after
 * {@code intervalNanos} with unsaved progress, and when the run ends. In transactional mode the transactions save it
 * and this only remembers the latest one ({@link #committed}).
 */
final class Checkpointer {
    private final String name;
    private final CheckpointStore checkpoints;
    private final int every;
    private final long intervalNanos;
    private final LongSupplier nanoTime;

    private volatile Position checkpoint;
    // Worker-thread state.
    private int unsaved;
    private long lastSaveNanos;

    Checkpointer(String name, CheckpointStore checkpoints, int every, long intervalNanos, LongSupplier nanoTime) {
        this.name = name;
        this.checkpoints = checkpoints;
        this.every = every;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** The checkpoint last loaded, saved or committed; empty when there is none. */
    Optional<Position> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /** Loads the saved checkpoint at the start of a run; nothing is unsaved then. */
    Optional<Position> load() {
        Optional<Position> loaded = checkpoints.load(name);
        checkpoint = loaded.orElse(null);
        unsaved = 0;
        lastSaveNanos = nanoTime.getAsLong();
        return loaded;
    }

    /** One more event handled (or moved past) since the last save. */
    void counted() {
        unsaved++;
    }

    /** Whether anything was handled since the last save. */
    boolean hasUnsaved() {
        return unsaved > 0;
    }

    /** Right after an event: whether a save is due, by count or by time. */
    boolean dueAfterEvent() {
        return unsaved >= every || dueByTime();
    }

    /** Whether unsaved progress is older than the interval. */
    boolean dueByTime() {
        return unsaved > 0 && nanoTime.getAsLong() - lastSaveNanos >= intervalNanos;
    }

    /** How long an idle run may wait: {@code idleNanos}, or less when unsaved progress comes due sooner. */
    long idleNanos(long idleNanos) {
        if (unsaved == 0) {
            return idleNanos;
        }
        return Math.min(idleNanos, lastSaveNanos + intervalNanos - nanoTime.getAsLong());
    }

    /** Saves {@code position}; nothing is unsaved after. */
    void save(Position position) {
        checkpoints.save(name, position);
        checkpoint = position;
        unsaved = 0;
        lastSaveNanos = nanoTime.getAsLong();
    }

    /** A transaction saved {@code position} with the handler's work. */
    void committed(Position position) {
        checkpoint = position;
    }

    /** Deletes the saved checkpoint (a rebuild). */
    void forget() {
        checkpoints.delete(name);
        checkpoint = null;
    }
}
