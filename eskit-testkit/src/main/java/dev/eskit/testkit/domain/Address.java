package dev.eskit.testkit.domain;

/**
 * A nested record inside {@link Tagged}; not an event type itself.
 *
 * @param street the street
 * @param city   the city
 */
public record Address(String street, String city) {
}
