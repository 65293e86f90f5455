package dev.eskit.partition;

import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.store.ForwardingEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The store as the partitions of one node see it: reads of the global log go through a window of the most recently
 * read events, so that the node's partitions, which all read the same log, read it from the database about once
 * instead of once each. A read inside the window is served from it; a read that reaches the window's end makes it
 * read on from the database (one reader does, the others wait for it and share its page); a read before the window
 * goes to the database directly. Concatenated pages read after one another are the log itself (on PostgreSQL every
 * page ends below the horizon), so a partition sees exactly what a direct read would show it.
 */
final class SharedReads extends ForwardingEventStore {

    /** Events kept at most. */
    static final int CAPACITY = 16_384;

    private final Object lock = new Object();
    /** The event types the window holds: the partitions'. */
    private final Set<String> types;
    /** The position the window's first event follows; null while the window is empty. */
    private Position start;
    /** Every event of {@link #types} after {@link #start}, in log order. */
    private final ArrayList<StoredEvent<Object>> window = new ArrayList<>();

    SharedReads(EventStore delegate, Set<String> types) {
        super(delegate);
        this.types = Set.copyOf(types);
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        EventStore.checkReadLimit(limit);
        synchronized (lock) {
            if (start != null && eventTypes.equals(types) && after.compareTo(start) >= 0
                    && after.compareTo(end()) <= 0) {
                int from = firstAfter(after);
                if (window.size() - from < limit) {
                    // At the window's end: read on for everyone (a page at least as large as this reader's).
                    List<StoredEvent<Object>> more = delegate.readAll(end(), Math.max(limit, 1000), eventTypes);
                    window.addAll(more);
                    from -= trim(from);
                }
                return List.copyOf(window.subList(from, Math.min(window.size(), from + limit)));
            }
        }
        List<StoredEvent<Object>> page = delegate.readAll(after, limit, eventTypes);
        if (eventTypes.equals(types)) {
            synchronized (lock) {
                if (start == null || after.compareTo(end()) > 0) {
                    // The first read, or one ahead of the window: start a new window here.
                    start = after;
                    window.clear();
                    window.addAll(page);
                    trim(window.size());
                } else if (after.equals(end())) {
                    window.addAll(page);
                    trim(window.size());
                }
            }
        }
        return page;
    }

    /** The position of the window's last event (or its start when it is empty). */
    private Position end() {
        return window.isEmpty() ? start : window.get(window.size() - 1).position();
    }

    /** The index of the first event of the window after {@code after}. */
    private int firstAfter(Position after) {
        int low = 0;
        int high = window.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (window.get(middle).position().compareTo(after) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Drops the oldest events beyond the capacity, but none from index {@code keep} on; returns how many. */
    private int trim(int keep) {
        int excess = Math.min(window.size() - CAPACITY, keep);
        if (excess <= 0) {
            return 0;
        }
        start = window.get(excess - 1).position();
        window.subList(0, excess).clear();
        return excess;
    }
}
