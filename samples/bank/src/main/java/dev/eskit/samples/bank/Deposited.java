package dev.eskit.samples.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * Money was paid in. Stored as {@code "bank.Deposited"}.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents
 */
@Event
public record Deposited(@StreamId String accountId, long amountCents) implements AccountEvent {
}
