package dev.eskit.benchmarks.domain;

import java.util.List;

/**
 * A folded ledger: an account's balance and its latest amounts, kept in an {@code ArrayList} that {@link Ledger}'s
 * evolve changes in place, as hand-written Java aggregates do. Not provable immutable, so its decider checks and
 * copies its states.
 *
 * @param owner        the owner, {@code null} before it is opened
 * @param balanceCents the balance
 * @param recent       the latest amounts, at most {@link Ledger#RECENT}, oldest first
 */
public record LedgerState(String owner, long balanceCents, List<Long> recent) {
}
