package dev.eskit.command;

import dev.eskit.StreamRef;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A command handler's warm states: a bounded map of stream to the folded state at a version, least recently used
 * entries evicted first. Small caches are one exact LRU map; larger ones are split into up to 16 segments by the
 * stream's hash, each an LRU map under its own lock, so that concurrent commands on different streams rarely wait for
 * each other. The bound is on the total, not per segment: nothing is evicted until the cache holds {@code maxStreams}
 * streams (so as many streams as the bound all stay, however unevenly they hash), and then a new stream evicts the
 * least recently used one of its own segment (of another when its segment holds no other). The total never exceeds
 * the bound: a new stream takes a slot of the bound before it is inserted.
 *
 * <p>An entry is a fact about a prefix of a stream: "up to {@code version}, whose event has id {@code lastEventId},
 * the stream folds to {@code state}". The handler checks the event id again on every use, so an entry never outlives
 * its stream (a deleted stream started again has other event ids), and loads the events after {@code version} from
 * the store, so it never misses another node's appends. The states it holds are never changed: immutable ones are
 * shared between commands (and threads) as they are, others are private copies that {@link StateLoader} copies again
 * for each command.
 */
final class StateCache<S> {

    /** Above this many streams per segment the map is split further (up to {@link #MAX_SEGMENTS}). */
    private static final int PER_SEGMENT = 256;
    private static final int MAX_SEGMENTS = 16;

    /**
     * One stream's folded state, the version it includes, the id of the event at that version, the snapshot the
     * handler last read or saved for it ({@code null} for none; its state is not kept), and whether commands on it
     * read the stream before deciding even where the store can append at a known last event (it refused to for this
     * stream although the entry was current: tags, say; kept by the entries that replace it).
     */
    record Entry<S>(S state, long version, UUID lastEventId, SnapshotKeeper.Restored<S> snapshot, boolean readFirst) {

        /** An entry that commands may decide on before reading the stream. */
        Entry(S state, long version, UUID lastEventId, SnapshotKeeper.Restored<S> snapshot) {
            this(state, version, lastEventId, snapshot, false);
        }
    }

    private final Segment<S>[] segments;
    private final int maxStreams;
    // Slots taken: entries in the segments plus new streams about to be inserted; never above maxStreams.
    private final AtomicInteger slots = new AtomicInteger();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder movedOn = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    @SuppressWarnings("unchecked")
    StateCache(int maxStreams) {
        this.maxStreams = maxStreams;
        int count = Math.max(1, Math.min(MAX_SEGMENTS, maxStreams / PER_SEGMENT));
        segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment<>();
        }
    }

    /** The segment a stream's entry lives in; package-private for tests. */
    int segmentIndex(StreamRef stream) {
        int hash = stream.hashCode();
        return Math.floorMod(hash ^ (hash >>> 16), segments.length);
    }

    /** How many segments the map is split into; package-private for tests. */
    int segmentCount() {
        return segments.length;
    }

    private Segment<S> segment(StreamRef stream) {
        return segments[segmentIndex(stream)];
    }

    /** The stream's entry, or {@code null}; marks it as recently used. */
    Entry<S> get(StreamRef stream) {
        Segment<S> segment = segment(stream);
        synchronized (segment) {
            return segment.get(stream);
        }
    }

    /**
     * Keeps {@code entry} for the stream unless the cache already holds a later version of it (two commands that
     * finish out of order leave the later state); a stream read first stays read first.
     */
    void put(StreamRef stream, Entry<S> entry) {
        int index = segmentIndex(stream);
        Segment<S> segment = segments[index];
        synchronized (segment) {
            if (replace(segment, stream, entry)) {
                return;
            }
        }
        takeSlot(index);
        synchronized (segment) {
            // Another command may have cached the stream meanwhile: then its slot is the one, and this one goes back.
            if (replace(segment, stream, entry)) {
                slots.decrementAndGet();
            } else {
                segment.put(stream, entry);
            }
        }
    }

    /** Replaces the stream's entry if the segment has one (keeping a later version); false when it has none. */
    private static <S> boolean replace(Segment<S> segment, StreamRef stream, Entry<S> entry) {
        Entry<S> present = segment.get(stream);
        if (present == null) {
            return false;
        }
        if (present.version() <= entry.version()) {
            segment.put(stream, present.readFirst() && !entry.readFirst()
                    ? new Entry<>(entry.state(), entry.version(), entry.lastEventId(), entry.snapshot(), true)
                    : entry);
        }
        return true;
    }

    /** Takes a slot of the bound for a new stream of segment {@code index}, evicting an entry while none is free. */
    private void takeSlot(int index) {
        while (true) {
            int taken = slots.get();
            if (taken < maxStreams) {
                if (slots.compareAndSet(taken, taken + 1)) {
                    return;
                }
            } else if (!evictOne(index)) {
                // Every slot is held by a stream about to be inserted by another thread: wait for it.
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Evicts the least recently used entry of segment {@code index}, or of the next segment holding one; false when
     * every segment is empty (all slots are held by insertions in progress). One segment lock at a time.
     */
    private boolean evictOne(int index) {
        for (int i = 0; i < segments.length; i++) {
            Segment<S> segment = segments[(index + i) % segments.length];
            synchronized (segment) {
                Iterator<StreamRef> eldest = segment.keySet().iterator();
                if (eldest.hasNext()) {
                    eldest.next();
                    eldest.remove();
                    slots.decrementAndGet();
                    evictions.increment();
                    return true;
                }
            }
        }
        return false;
    }

    /** Drops the stream's entry, if any. */
    void remove(StreamRef stream) {
        Segment<S> segment = segment(stream);
        synchronized (segment) {
            if (segment.remove(stream) != null) {
                slots.decrementAndGet();
            }
        }
    }

    /**
     * How many streams are cached now, counting those being inserted by other threads: never above the bound (a sum
     * over the segments would not be one moment's count while entries move between them), and exact when no command
     * is running.
     */
    int size() {
        return slots.get();
    }

    /** Counts a lookup that found a usable entry. */
    void hit() {
        hits.increment();
    }

    /** Counts a lookup that folded the stream without the cache. */
    void miss() {
        misses.increment();
    }

    /** Counts a warm append that wrote nothing because the stream had moved on. */
    void movedOn() {
        movedOn.increment();
    }

    /** What the cache holds and has done so far. */
    StateCacheStats stats() {
        return new StateCacheStats(maxStreams, slots.get(), hits.sum(), misses.sum(), movedOn.sum(), evictions.sum());
    }

    /** Drops every entry. */
    void clear() {
        for (Segment<S> segment : segments) {
            synchronized (segment) {
                slots.addAndGet(-segment.size());
                segment.clear();
            }
        }
    }

    /** An access-ordered map (least recently used first); guarded by itself. */
    private static final class Segment<S> extends LinkedHashMap<StreamRef, Entry<S>> {
        private static final long serialVersionUID = 1L;

        Segment() {
            super(16, 0.75f, true);
        }
    }
}
