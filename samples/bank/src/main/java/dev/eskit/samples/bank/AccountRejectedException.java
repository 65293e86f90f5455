package dev.eskit.samples.bank;

/** A command the account refuses for a reason other than funds: not open, opened by someone else, bad amount. */
public final class AccountRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public AccountRejectedException(String message) {
        super(message);
    }
}
