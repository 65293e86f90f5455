package dev.eskit.samples.bank;

import dev.eskit.annotations.StreamId;

/**
 * Pays money out, if the balance covers it.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents, more than zero
 * @param reason      what the money is for
 */
public record Withdraw(@StreamId String accountId, long amountCents, String reason) implements AccountCommand {
}
