package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * The event-type registry of one package.
 *
 * @param className the generated class, such as {@code com.acme.bank.BankEventTypes}
 * @param events    its events, sorted by class name
 */
public record RegistryModel(ClassName className, List<EventModel> events) {
    /** Copies the events. */
    public RegistryModel {
        events = List.copyOf(events);
    }
}
