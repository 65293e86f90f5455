package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * One command route: the command class and where its stream id comes from.
 *
 * @param command  the concrete command class
 * @param accessor the command's no-argument accessor (null when {@code deciderMethod} is used)
 * @param deciderMethod a {@code @StreamId} method of the decider taking the command (or null)
 * @param isString whether the id is already a {@code String} (else it is converted with {@code toString()})
 */
public record RouteModel(ClassName command, String accessor, Call deciderMethod, boolean isString) {
}
