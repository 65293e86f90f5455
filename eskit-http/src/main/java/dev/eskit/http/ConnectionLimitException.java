package dev.eskit.http;

import dev.eskit.EskitException;

/** A change stream was refused because the bound on open streams is reached; answer 503 and let the client retry. */
public final class ConnectionLimitException extends EskitException {
    private static final long serialVersionUID = 1L;

    ConnectionLimitException(int limit) {
        super(limit + " change streams are open, the most this server allows. Try again later, or raise"
                + " maxConnections if the machine can take more.");
    }
}
