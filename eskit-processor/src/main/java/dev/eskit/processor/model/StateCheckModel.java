package dev.eskit.processor.model;

import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * The run-time checks of a decider whose state type is not proven immutable by its type alone, but would be if its
 * collections were unmodifiable: one generated {@code immutable(T value)} method per record or sealed type on the way
 * to a collection, the state type's first (or, when the state is itself a collection, none and {@code rootContainer}).
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
        SUBTYPE
    }

    /**
     * One check method.
     *
     * @param type  the parameter type, a record or a sealed interface
     * @param parts what it checks, in declaration order
     */
    public record Method(TypeName type, List<Part> parts) {
        /** Copies the list. */
        public Method {
            parts = List.copyOf(parts);
        }
    }

    /**
     * One check.
     *
     * @param kind     what it checks
     * @param accessor the record component's accessor (CONTAINER, NESTED), or {@code null}
     * @param subtype  the permitted subtype (SUBTYPE), or {@code null}
     */
    public record Part(Kind kind, String accessor, TypeName subtype) {
    }
}
