package dev.eskit.processor.model;

import java.util.List;
import javax.lang.model.element.Element;

/**
 * The personal data of one {@code @Event} record.
 *
 * @param wireName the event's wire name
 * @param fields   its {@code @PersonalData} components, in declaration order
 * @param origin   the record
 */
public record PersonalDataModel(String wireName, List<Field> fields, Element origin) {

    /** Copies the fields. */
    public PersonalDataModel {
        fields = List.copyOf(fields);
    }

    /**
     * One encrypted component.
     *
     * @param name    the component (and JSON property) name
     * @param subject the component that holds its data subject id
     * @param text    whether it is a string (its placeholder is {@code "[erased]"}, else JSON null)
     */
    public record Field(String name, String subject, boolean text) {
    }
}
