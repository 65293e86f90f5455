package dev.eskit.samples.dcb;

/** A command the sample's rules reject; the message says why. */
public final class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Rejects with {@code reason}. */
    public RejectedException(String reason) {
        super(reason);
    }
}
