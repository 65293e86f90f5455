package dev.eskit.testkit.domain;

/**
 * A record that {@link TestEventTypes#all()} deliberately does not register: appending it must fail with
 * {@link dev.eskit.UnknownEventTypeException} and write nothing.
 *
 * @param value anything
 */
public record Unregistered(String value) {
}
