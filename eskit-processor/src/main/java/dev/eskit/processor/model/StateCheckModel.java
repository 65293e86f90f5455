package dev.eskit.processor.model;

import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * The run-time checks of a decider whose state type is not proven immutable by its type alone, but would be if its
 * collections were unmodifiable: one generated {@code immutable(T value)} method per record or sealed type on the way
 * to a collection, the state type's first (or, when the state is itself a collection, none and {@code rootContainer}),
 * and the same again as {@code copyable(T value)} and {@code copy(T value)} for the states that are not.
 *
 * @param methods       the check methods, the state type's first
 * @param rootContainer whether the state type is itself a {@code List}, {@code Set}, {@code Collection} or {@code Map}
 */
public record StateCheckModel(List<Method> methods, boolean rootContainer) {

    /** Copies the list. */
    public StateCheckModel {
        methods = List.copyOf(methods);
    }

    /** What a part checks. */
    public enum Kind {
        /** {@code ImmutableValues.isUnmodifiable(value.accessor())}. */
        CONTAINER,
        /** {@code immutable(value.accessor())}: a record or sealed type with checks of its own. */
        NESTED,
        /** {@code !(value instanceof Subtype s) || immutable(s)}: a permitted subtype with checks of its own. */
        SUBTYPE,
        /**
         * {@code ImmutableValues.isUnmodifiable(value.accessor())} and {@code immutable(element)} of each element: a
         * {@code List} whose element type (in {@code subtype}) has checks of its own.
         */
        LIST_OF,
        /** {@link #LIST_OF} for a {@code Map}'s values, whose type is in {@code subtype} (its keys are proven). */
        MAP_OF
    }

    /**
     * One check method.
     *
     * @param type       the parameter type: a record, a Kotlin data class, or a sealed interface or class
     * @param parts      what it checks, in declaration order
     * @param components a record's or data class's component accessors, all of them in declaration order (its
     *                   canonical or primary constructor's parameters, for a copy); empty for a sealed type
     */
    public record Method(TypeName type, List<Part> parts, List<String> components) {
        /** Copies the lists. */
        public Method {
            parts = List.copyOf(parts);
            components = List.copyOf(components);
        }

        /** The part that checks the record component with accessor {@code accessor}, or {@code null}. */
        public Part part(String accessor) {
            for (Part part : parts) {
                if (accessor.equals(part.accessor())) {
                    return part;
                }
            }
            return null;
        }
    }

    /**
     * One check.
     *
     * @param kind     what it checks
     * @param accessor the record component's accessor (CONTAINER, NESTED, LIST_OF, MAP_OF), or {@code null}
     * @param subtype  the permitted subtype (SUBTYPE), the element or value type (LIST_OF, MAP_OF), or {@code null}
     */
    public record Part(Kind kind, String accessor, TypeName subtype) {
    }
}
