package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Map;

/**
 * The event-type registry of one package.
 *
 * @param className the generated class, such as {@code com.acme.bank.BankEventTypes}
 * @param events    its events, sorted by class name
 * @param tags      the {@code @Tag} components of events that have some, by qualified class name
 */
public record RegistryModel(ClassName className, List<EventModel> events, Map<String, List<TagModel>> tags) {
    /** Copies the events and tags. */
    public RegistryModel {
        events = List.copyOf(events);
        tags = Map.copyOf(tags);
    }

    /** A registry whose events have no tags. */
    public RegistryModel(ClassName className, List<EventModel> events) {
        this(className, events, Map.of());
    }
}
