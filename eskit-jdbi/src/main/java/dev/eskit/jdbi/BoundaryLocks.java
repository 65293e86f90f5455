package dev.eskit.jdbi;

import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lock keys of Dynamic Consistency Boundaries, as 64-bit hashes of (event type, tag) pairs, where {@code "*"}
 * stands for "any type" or "no tag needed".
 *
 * <p>An event of type {@code T} with tags {@code t1..tn} is covered by the keys {@code (T, *)}, {@code (*, *)},
 * {@code (T, ti)} and {@code (*, ti)}; writers take these shared. A query item with types and tags needs only one key
 * per type: {@code (type or *, its first tag)}, because every event it matches carries that tag; an item without tags
 * takes {@code (type or *, *)}. Conditional appends take their query's keys exclusive. So a writer of an event that a
 * condition's query matches always holds a key the condition holds exclusively: the two serialize, and the condition
 * check, made under the locks, sees the writer's event or comes before it. Disjoint boundaries share no key and
 * proceed in parallel; a hash collision only serializes two appends that need not be.
 */
final class BoundaryLocks {

    private static final String ANY = "*";

    /** The keys, sorted ascending, and which of them are exclusive. */
    record Keys(long[] keys, boolean[] exclusive) {
        boolean isEmpty() {
            return keys.length == 0;
        }
    }

    private final String space;
    private final TreeMap<Long, Boolean> keys = new TreeMap<>();

    /** Keys in the space of one store (its qualified events table), so that stores in one database never contend. */
    BoundaryLocks(String space) {
        this.space = space;
    }

    /** Adds the exclusive keys of {@code query}. */
    BoundaryLocks condition(Query query) {
        for (QueryItem item : query.items()) {
            List<String> types = item.types().isEmpty() ? List.of(ANY) : item.types();
            String tag = item.tags().isEmpty() ? ANY : item.tags().get(0).value();
            for (String type : types) {
                keys.put(hash(type, tag), true);
            }
        }
        return this;
    }

    /** Adds the shared keys of an event of {@code type} with {@code tags}. */
    BoundaryLocks event(String type, List<Tag> tags) {
        shared(hash(type, ANY));
        shared(hash(ANY, ANY));
        for (Tag tag : tags) {
            shared(hash(type, tag.value()));
            shared(hash(ANY, tag.value()));
        }
        return this;
    }

    private void shared(long key) {
        keys.putIfAbsent(key, false);
    }

    Keys keys() {
        long[] sorted = new long[keys.size()];
        boolean[] exclusive = new boolean[sorted.length];
        int i = 0;
        for (Map.Entry<Long, Boolean> entry : keys.entrySet()) {
            sorted[i] = entry.getKey();
            exclusive[i++] = entry.getValue();
        }
        return new Keys(sorted, exclusive);
    }

    /** FNV-1a over the characters of space, type and tag (separated), then a 64-bit finalizer. */
    long hash(String type, String tag) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, space);
        h = mix((h ^ 0x1f) * 0x100000001b3L, type);
        h = mix((h ^ 0x1f) * 0x100000001b3L, tag);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mix(long h, String value) {
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
