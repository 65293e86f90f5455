package dev.eskit.command;

import dev.eskit.StreamRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A command handler's warm states: a bounded map of stream to the folded state at a version, least recently used
 * entries evicted first. Small caches are one exact LRU map; larger ones are split into up to 16 segments by the
 * stream's hash, each an LRU map under its own lock, so that concurrent commands on different streams rarely wait for
 * each other (eviction is then least recently used per segment). The total never exceeds the bound.
 *
 * <p>An entry is a fact about a prefix of a stream: "up to {@code version}, whose event has id {@code lastEventId},
 * the stream folds to {@code state}". The handler checks the event id again on every use, so an entry never outlives
 * its stream (a deleted stream started again has other event ids), and loads the events after {@code version} from
 * the store, so it never misses another node's appends. States must be immutable: they are shared between commands
 * (and threads) as they are.
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

    @SuppressWarnings("unchecked")
    StateCache(int maxStreams) {
        int count = Math.max(1, Math.min(MAX_SEGMENTS, maxStreams / PER_SEGMENT));
        segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            // The bound is spread over the segments so that their sum is exactly maxStreams.
            segments[i] = new Segment<>(maxStreams / count + (i < maxStreams % count ? 1 : 0));
        }
    }

    private Segment<S> segment(StreamRef stream) {
        int hash = stream.hashCode();
        return segments[Math.floorMod(hash ^ (hash >>> 16), segments.length)];
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
        Segment<S> segment = segment(stream);
        synchronized (segment) {
            Entry<S> present = segment.get(stream);
            if (present == null || present.version() <= entry.version()) {
                segment.put(stream, present != null && present.readFirst() && !entry.readFirst()
                        ? new Entry<>(entry.state(), entry.version(), entry.lastEventId(), entry.snapshot(), true)
                        : entry);
            }
        }
    }

    /** Drops the stream's entry, if any. */
    void remove(StreamRef stream) {
        Segment<S> segment = segment(stream);
        synchronized (segment) {
            segment.remove(stream);
        }
    }

    /** How many streams are cached now. */
    int size() {
        int size = 0;
        for (Segment<S> segment : segments) {
            synchronized (segment) {
                size += segment.size();
            }
        }
        return size;
    }

    /** Drops every entry. */
    void clear() {
        for (Segment<S> segment : segments) {
            synchronized (segment) {
                segment.clear();
            }
        }
    }

    /** An access-ordered map that drops its least recently used entry past its capacity; guarded by itself. */
    private static final class Segment<S> extends LinkedHashMap<StreamRef, Entry<S>> {
        private static final long serialVersionUID = 1L;
        private final int capacity;

        Segment(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamRef, Entry<S>> eldest) {
            return size() > capacity;
        }
    }
}
