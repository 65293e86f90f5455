package dev.eskit.tenancy;

import dev.eskit.EskitException;

/** A command reached a {@link TenantCommandBus} without a tenant in its context; it did not run. */
public final class MissingTenantException extends EskitException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what to do. */
    public MissingTenantException(String message) {
        super(message);
    }
}
