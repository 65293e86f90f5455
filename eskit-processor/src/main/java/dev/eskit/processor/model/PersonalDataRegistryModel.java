package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * The personal-data registry of one package.
 *
 * @param className the generated class, such as {@code com.acme.crm.CrmPersonalData}
 * @param events    its events with personal data, sorted by wire name
 */
public record PersonalDataRegistryModel(ClassName className, List<PersonalDataModel> events) {
    /** Copies the events. */
    public PersonalDataRegistryModel {
        events = List.copyOf(events);
    }
}
