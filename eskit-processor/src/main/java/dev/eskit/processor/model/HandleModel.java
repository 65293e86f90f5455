package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * One {@code @Handle} method of a projection.
 *
 * @param event      the event record it handles
 * @param wireName   the event's wire name
 * @param aliases    the event's former wire names (stored events may carry them)
 * @param call       the method
 * @param withStored whether it also takes the {@code StoredEvent}
 */
public record HandleModel(ClassName event, String wireName, List<String> aliases, Call call, boolean withStored) {
    /** Copies the list. */
    public HandleModel {
        aliases = List.copyOf(aliases);
    }
}
