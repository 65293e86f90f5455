package dev.eskit.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * One {@code @Decide} method.
 *
 * @param command    the command type it takes
 * @param call       the method
 * @param takesState whether the state is its first parameter
 * @param result     what it returns
 */
public record DecideModel(TypeName command, Call call, boolean takesState, Result result) {

    /** The shapes a decide method may return. */
    public enum Result {
        /** One event. */
        ONE,
        /** A list of events. */
        LIST,
        /** An optional event. */
        OPTIONAL
    }
}
