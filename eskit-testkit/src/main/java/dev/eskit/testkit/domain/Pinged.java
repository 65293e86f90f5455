package dev.eskit.testkit.domain;

/** An event without fields; it serializes as {@code {}}. Wire name {@code "testkit.Pinged"}. */
public record Pinged() implements TestEvent {
}
