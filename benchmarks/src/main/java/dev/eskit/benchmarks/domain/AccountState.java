package dev.eskit.benchmarks.domain;

/**
 * A folded account.
 *
 * @param owner        the owner, {@code null} before it is opened
 * @param balanceCents the balance
 * @param operations   how many deposits and withdrawals
 */
public record AccountState(String owner, long balanceCents, long operations) {

    /** Not opened yet. */
    public static final AccountState INITIAL = new AccountState(null, 0, 0);
}
