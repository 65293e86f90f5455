package dev.eskit.processor.model;

/**
 * A user method the generated code calls.
 *
 * @param name     the method name
 * @param isStatic whether it is static (else it is called on the target instance)
 */
public record Call(String name, boolean isStatic) {
}
