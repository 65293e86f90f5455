package dev.eskit.gdpr;

import dev.eskit.EskitException;

/** A data key cannot be created, wrapped or unwrapped (missing master key, JDK without AES-GCM). */
public final class KeyManagementException extends EskitException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what to do. */
    public KeyManagementException(String message, Throwable cause) {
        super(message, cause);
    }
}
