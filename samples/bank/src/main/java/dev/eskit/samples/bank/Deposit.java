package dev.eskit.samples.bank;

import dev.eskit.annotations.StreamId;

/**
 * Pays money in.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents, more than zero
 */
public record Deposit(@StreamId String accountId, long amountCents) implements AccountCommand {
}
