package dev.eskit.tenancy;

import dev.eskit.InvalidInputException;

/** A tenant id breaks the rules of {@link TenantId}; nothing was read or written. */
public final class InvalidTenantException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what to do. */
    public InvalidTenantException(String message) {
        super(message);
    }
}
