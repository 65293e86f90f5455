package dev.eskit.testkit.domain;

/**
 * An event carrying an arbitrary (possibly large) string. Wire name {@code "testkit.Blob"}.
 *
 * @param id      the subject
 * @param payload the text
 */
public record Blob(String id, String payload) implements TestEvent {
}
