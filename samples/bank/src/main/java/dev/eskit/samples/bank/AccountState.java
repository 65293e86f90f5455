package dev.eskit.samples.bank;

/**
 * The state of one account, folded from its events.
 *
 * @param owner        the owner, or {@code null} while the account is not open
 * @param balanceCents the balance, in cents
 */
public record AccountState(String owner, long balanceCents) {

    /** An account that has not been opened. */
    public static final AccountState UNOPENED = new AccountState(null, 0);

    /** Whether the account has been opened. */
    public boolean isOpen() {
        return owner != null;
    }
}
