package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.StreamId;

/**
 * Pays money in.
 *
 * @param accountId   the account
 * @param amountCents the amount
 */
public record Deposit(@StreamId String accountId, long amountCents) implements AccountCommand {
}
