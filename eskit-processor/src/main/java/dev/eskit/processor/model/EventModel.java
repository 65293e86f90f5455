package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.Comparator;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * One {@code @Event} record.
 *
 * @param type      the record class
 * @param wireName  the wire name
 * @param version   the current schema version
 * @param aliases   former wire names
 * @param upcasters the upcaster chain, one per stored version below {@code version}, sorted by version
 * @param origin    the annotated element
 */
public record EventModel(ClassName type, String wireName, int version, List<String> aliases,
                         List<UpcastModel> upcasters, Element origin) {
    /** Copies the lists; sorts the upcasters by version. */
    public EventModel {
        aliases = List.copyOf(aliases);
        upcasters = upcasters.stream().sorted(Comparator.comparingInt(UpcastModel::from)).toList();
    }

    /** An event without upcasters. */
    public EventModel(ClassName type, String wireName, int version, List<String> aliases, Element origin) {
        this(type, wireName, version, aliases, List.of(), origin);
    }

    /** This event with the upcaster chain {@code chain}. */
    public EventModel withUpcasters(List<UpcastModel> chain) {
        return new EventModel(type, wireName, version, aliases, chain, origin);
    }
}
