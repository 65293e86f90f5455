package dev.eskit.jdbi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How far reads of a SQLite log filtered by event type have scanned, so that the next read of the same types after
 * the same position starts where the last one stopped instead of scanning the same events again (the events table
 * has no index on the event type by default: {@link JdbiEventStore.Builder#eventTypeIndex}).
 *
 * <p>Each entry says: no event of these types lies after {@code after} up to {@code scanned}. That stays true: SQLite
 * numbers events in commit order, each above every number before it, so no event ever appears below a number a read
 * has seen committed (deleting events only removes some). A subscription to a rare type thus reads up to the log's
 * head, finds nothing, and the next poll starts at that head. Bounded: the least recently used entries go first.
 */
final class TypeScans {

    /** Entries kept: one per filtered reader (subscription) is what is needed. */
    static final int MAX_ENTRIES = 1024;

    /** {@code prefix}: the stream type prefix of a tenant view's reads, empty for reads of the whole log. */
    private record Key(String prefix, Set<String> types, long after) {
    }

    private final Map<Key, Long> scanned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Where a read of {@code types} after sequence number {@code after} may start: {@code after} or beyond. */
    long startOf(Set<String> types, long after) {
        return startOf("", types, after);
    }

    /**
     * Where a read of {@code types} in streams whose type starts with {@code prefix} may start: what such reads found
     * empty, or what reads of the whole log found empty (no event of the types at all).
     */
    synchronized long startOf(String prefix, Set<String> types, long after) {
        long start = after;
        Long to = scanned.get(new Key(prefix, types, after));
        if (to != null) {
            start = Math.max(start, to);
        }
        if (!prefix.isEmpty()) {
            Long whole = scanned.get(new Key("", types, after));
            if (whole != null) {
                start = Math.max(start, whole);
            }
        }
        return start;
    }

    /** No event of {@code types} lies after {@code after} up to and including {@code through}. */
    void noneBetween(Set<String> types, long after, long through) {
        noneBetween("", types, after, through);
    }

    /** No event of {@code types} in streams whose type starts with {@code prefix} lies in that range. */
    synchronized void noneBetween(String prefix, Set<String> types, long after, long through) {
        if (through > after) {
            scanned.merge(new Key(prefix, Set.copyOf(types), after), through, Math::max);
        }
    }

    synchronized int size() {
        return scanned.size();
    }
}
