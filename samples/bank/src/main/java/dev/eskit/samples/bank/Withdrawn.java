package dev.eskit.samples.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * Money was paid out. Stored as {@code "bank.Withdrawn"}.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents
 */
@Event(name = "bank.Withdrawn")
public record Withdrawn(@StreamId String accountId, long amountCents) implements AccountEvent {
}
