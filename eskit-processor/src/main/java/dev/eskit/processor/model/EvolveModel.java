package dev.eskit.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * One {@code @Evolve} method.
 *
 * @param event the event type it takes
 * @param call  the method
 */
public record EvolveModel(TypeName event, Call call) {
}
