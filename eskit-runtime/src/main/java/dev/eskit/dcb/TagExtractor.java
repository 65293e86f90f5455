package dev.eskit.dcb;

import java.util.List;

/**
 * The tags an event carries by its own data. The processor generates one per {@code @Event} record with {@code @Tag}
 * components and puts it into the registry's {@link dev.eskit.codec.EventType}.
 *
 * @param <E> the event class
 */
@FunctionalInterface
public interface TagExtractor<E> {

    /** The event's tags; never {@code null}. */
    List<Tag> tags(E event);

    /** The extractor of events without tags. */
    static <E> TagExtractor<E> none() {
        return event -> List.of();
    }
}
