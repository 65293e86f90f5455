package dev.eskit.testkit.domain;

/**
 * Money was deposited. Wire name {@code "testkit.Deposited"}.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents
 */
public record Deposited(String accountId, long amountCents) implements TestEvent {
}
