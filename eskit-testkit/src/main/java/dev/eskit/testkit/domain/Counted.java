package dev.eskit.testkit.domain;

/**
 * One step of a concurrent writer: which writer wrote it and its sequence number for that writer, so that tests can
 * prove every write is present exactly once. Wire name {@code "testkit.Counted"}.
 *
 * @param writer   the writer (a thread number)
 * @param sequence the writer's own counter, from 0
 */
public record Counted(int writer, int sequence) implements TestEvent {
}
