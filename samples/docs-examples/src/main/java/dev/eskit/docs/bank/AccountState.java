package dev.eskit.docs.bank;

/** The state of one account; {@code owner} is {@code null} while it is not open. */
public record AccountState(String owner, long balanceCents) {
    /** An account that has not been opened. */
    public static final AccountState UNOPENED = new AccountState(null, 0);
}
