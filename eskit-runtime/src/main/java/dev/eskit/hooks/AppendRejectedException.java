package dev.eskit.hooks;

import dev.eskit.EskitException;

/**
 * A {@link BeforeAppendHook} refused an append; nothing was written. The message says which hook refused and why.
 */
public final class AppendRejectedException extends EskitException {

    private static final long serialVersionUID = 1L;

    /** A rejection with a message that says why and what to do. */
    public AppendRejectedException(String message) {
        super(message);
    }

    /** A rejection caused by {@code cause}. */
    public AppendRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
