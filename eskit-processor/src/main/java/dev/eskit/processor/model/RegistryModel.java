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
 * @param codecs    the generated codec of each event that has one, by qualified class name
 */
public record RegistryModel(ClassName className, List<EventModel> events, Map<String, List<TagModel>> tags,
                            Map<String, CodecRef> codecs) {
    /** Copies the events, tags and codecs. */
    public RegistryModel {
        events = List.copyOf(events);
        tags = Map.copyOf(tags);
        codecs = Map.copyOf(codecs);
    }

    /** A registry whose events have no generated codecs. */
    public RegistryModel(ClassName className, List<EventModel> events, Map<String, List<TagModel>> tags) {
        this(className, events, tags, Map.of());
    }

    /** A registry whose events have no tags. */
    public RegistryModel(ClassName className, List<EventModel> events) {
        this(className, events, Map.of());
    }
}
