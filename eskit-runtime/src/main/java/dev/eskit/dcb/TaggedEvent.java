package dev.eskit.dcb;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An event to append with explicit tags, on top of those its {@code @Tag} components give.
 *
 * <pre>{@code
 * store.append(List.of(TaggedEvent.of(new InvoiceCreated(42), Tag.of("invoice", 42))), condition);
 * }</pre>
 *
 * @param event the event object (a registered event type)
 * @param tags  explicit tags, sorted and without duplicates
 */
public record TaggedEvent(Object event, List<Tag> tags) {

    /** Copies and sorts the tags. */
    public TaggedEvent {
        Objects.requireNonNull(event, "event");
        if (event instanceof TaggedEvent) {
            throw new dev.eskit.InvalidInputException("A TaggedEvent wraps another TaggedEvent. Wrap the event"
                    + " itself and list all its tags once.");
        }
        tags = List.copyOf(new TreeSet<>(Objects.requireNonNull(tags, "tags")));
    }

    /** {@code event} with explicit {@code tags}. */
    public static TaggedEvent of(Object event, Tag... tags) {
        return new TaggedEvent(event, Arrays.asList(tags));
    }

    /** {@code event} with explicit {@code tags}. */
    public static TaggedEvent of(Object event, Collection<Tag> tags) {
        return new TaggedEvent(event, List.copyOf(tags));
    }

    /** {@code event} as is, or wrapped without explicit tags. */
    public static TaggedEvent wrap(Object event) {
        return event instanceof TaggedEvent tagged ? tagged : new TaggedEvent(event, List.of());
    }
}
