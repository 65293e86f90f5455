package dev.eskit.docs.bank;

/** A withdrawal larger than the balance. */
public final class InsufficientFundsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InsufficientFundsException(String accountId, long balanceCents, long amountCents) {
        super("Account " + accountId + " has " + balanceCents + " cents, cannot withdraw " + amountCents);
    }
}
