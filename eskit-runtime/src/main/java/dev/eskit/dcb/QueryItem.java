package dev.eskit.dcb;

import dev.eskit.InvalidInputException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One item of a {@link Query}: it matches an event whose type is one of {@link #types()} (any type when empty) and
 * whose tags include all of {@link #tags()} (no tag needed when empty).
 *
 * <pre>{@code
 * QueryItem.types("courses.CourseDefined", "courses.StudentSubscribed").withTags(Tag.of("course", "c1"))
 * }</pre>
 *
 * @param types event type wire names, sorted and without duplicates
 * @param tags  tags, sorted and without duplicates
 */
public record QueryItem(List<String> types, List<Tag> tags) {

    /** Most types or tags in one item. */
    public static final int MAX_ENTRIES = 100;

    /** Validates, sorts and de-duplicates. */
    public QueryItem {
        types = List.copyOf(new TreeSet<>(Objects.requireNonNull(types, "types")));
        tags = List.copyOf(new TreeSet<>(Objects.requireNonNull(tags, "tags")));
        if (types.size() > MAX_ENTRIES || tags.size() > MAX_ENTRIES) {
            throw new InvalidInputException("A query item has " + types.size() + " types and " + tags.size()
                    + " tags; the limit is " + MAX_ENTRIES + " of each. Split it into several items.");
        }
        for (String type : types) {
            if (type.isEmpty() || type.indexOf('\0') >= 0) {
                throw new InvalidInputException("Query item type \"" + type.replace("\0", "\\0") + "\" is not a"
                        + " wire name. Use event type names such as \"bank.Deposited\".");
            }
        }
    }

    /** An item that matches every event. */
    public static QueryItem any() {
        return new QueryItem(List.of(), List.of());
    }

    /** An item of the given types (and no tag condition). */
    public static QueryItem types(String... types) {
        return new QueryItem(Arrays.asList(types), List.of());
    }

    /** An item of the given types (and no tag condition). */
    public static QueryItem types(Collection<String> types) {
        return new QueryItem(List.copyOf(types), List.of());
    }

    /** An item of events of any type carrying all {@code tags}. */
    public static QueryItem tags(Tag... tags) {
        return new QueryItem(List.of(), Arrays.asList(tags));
    }

    /** This item, with {@code more} tags required as well. */
    public QueryItem withTags(Tag... more) {
        return withTags(Arrays.asList(more));
    }

    /** This item, with {@code more} tags required as well. */
    public QueryItem withTags(Collection<Tag> more) {
        Set<Tag> all = new TreeSet<>(tags);
        all.addAll(more);
        return new QueryItem(types, List.copyOf(all));
    }

    /** Whether an event of {@code type} with {@code eventTags} matches. */
    public boolean matches(String type, Collection<Tag> eventTags) {
        return (types.isEmpty() || types.contains(type)) && eventTags.containsAll(tags);
    }
}
