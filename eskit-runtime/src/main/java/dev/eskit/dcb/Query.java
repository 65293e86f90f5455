package dev.eskit.dcb;

import dev.eskit.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Which events a Dynamic Consistency Boundary consists of: items OR-ed together (see {@link QueryItem}).
 *
 * <pre>{@code
 * Query query = Query.of(
 *     QueryItem.types("courses.CourseDefined", "courses.StudentSubscribed").withTags(Tag.of("course", "c1")),
 *     QueryItem.types("courses.StudentSubscribed").withTags(Tag.of("student", "s7")));
 * }</pre>
 *
 * @param items at least one item, without duplicates
 */
public record Query(List<QueryItem> items) {

    /** Most items in one query. */
    public static final int MAX_ITEMS = 100;

    private static final Query ALL = new Query(List.of(QueryItem.any()));

    /** Validates and de-duplicates the items. */
    public Query {
        Objects.requireNonNull(items, "items");
        items = List.copyOf(new LinkedHashSet<>(items));
        if (items.isEmpty()) {
            throw new InvalidInputException("A query has no items, so it would match nothing. Give it at least one"
                    + " item, or use Query.all() to match every event.");
        }
        if (items.size() > MAX_ITEMS) {
            throw new InvalidInputException("A query has " + items.size() + " items; the limit is " + MAX_ITEMS
                    + ". Merge items that share their tags.");
        }
    }

    /** The query that matches every event. */
    public static Query all() {
        return ALL;
    }

    /** A query of {@code items}. */
    public static Query of(QueryItem... items) {
        return new Query(Arrays.asList(items));
    }

    /** A query of {@code items}. */
    public static Query of(Collection<QueryItem> items) {
        return new Query(new ArrayList<>(items));
    }

    /** Whether an event of {@code type} with {@code tags} matches some item. */
    public boolean matches(String type, Collection<Tag> tags) {
        for (QueryItem item : items) {
            if (item.matches(type, tags)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this query matches every event (some item has neither types nor tags). */
    public boolean isAll() {
        return items.stream().anyMatch(i -> i.types().isEmpty() && i.tags().isEmpty());
    }

    /** This query's items followed by {@code other}'s. */
    public Query or(Query other) {
        List<QueryItem> all = new ArrayList<>(items);
        all.addAll(other.items);
        return new Query(all);
    }
}
