package dev.eskit.samples.bank;

import dev.eskit.annotations.StreamId;

/**
 * Pays money out, if the balance covers it.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents, more than zero
 */
public record Withdraw(@StreamId String accountId, long amountCents) implements AccountCommand {
}
