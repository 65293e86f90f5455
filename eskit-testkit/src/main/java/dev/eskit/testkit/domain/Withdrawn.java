package dev.eskit.testkit.domain;

/**
 * Money was withdrawn. Wire name {@code "testkit.Withdrawn"}, schema version 2 (version 1 had no reason), so the
 * suite can check that stores record the schema version an event was written with.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents
 * @param reason      why
 */
public record Withdrawn(String accountId, long amountCents, String reason) implements TestEvent {
}
