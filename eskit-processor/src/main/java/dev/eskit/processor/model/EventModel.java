package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * One {@code @Event} record.
 *
 * @param type     the record class
 * @param wireName the wire name
 * @param version  the current schema version
 * @param aliases  former wire names
 * @param origin   the annotated element
 */
public record EventModel(ClassName type, String wireName, int version, List<String> aliases, Element origin) {
    /** Copies the aliases. */
    public EventModel {
        aliases = List.copyOf(aliases);
    }
}
