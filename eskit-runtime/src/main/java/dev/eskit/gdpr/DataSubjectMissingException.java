package dev.eskit.gdpr;

import dev.eskit.EskitException;

/** An event with personal data has no data subject id (null or empty); nothing was written. */
public final class DataSubjectMissingException extends EskitException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what to do. */
    public DataSubjectMissingException(String message) {
        super(message);
    }
}
