package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import java.util.Map;

/**
 * The boundary of a {@code @DcbDecider}: its query items and, per concrete command, where the item tags' values come
 * from.
 *
 * @param items    the query items, in declaration order
 * @param bindings per concrete command class (sorted by name), tag prefix to the command's accessor
 */
public record DcbModel(List<Item> items, List<Binding> bindings) {

    /** Copies the lists. */
    public DcbModel {
        items = List.copyOf(items);
        bindings = List.copyOf(bindings);
    }

    /**
     * One {@code @QueryItem}.
     *
     * @param types    wire names of its event types (empty for every type)
     * @param prefixes its tag prefixes
     */
    public record Item(List<String> types, List<String> prefixes) {
        /** Copies the lists. */
        public Item {
            types = List.copyOf(types);
            prefixes = List.copyOf(prefixes);
        }
    }

    /**
     * Where one concrete command's tag values come from.
     *
     * @param command   the command class
     * @param accessors tag prefix to accessor name
     */
    public record Binding(ClassName command, Map<String, String> accessors) {
        /** Copies the map. */
        public Binding {
            accessors = Map.copyOf(accessors);
        }
    }
}
