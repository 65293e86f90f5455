package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.StreamId;

/**
 * Pays money into a ledger.
 *
 * @param accountId   the account
 * @param amountCents the amount
 */
public record Credit(@StreamId String accountId, long amountCents) implements LedgerCommand {
}
