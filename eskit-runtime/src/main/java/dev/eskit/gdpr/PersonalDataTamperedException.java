package dev.eskit.gdpr;

import dev.eskit.EskitException;

/**
 * Encrypted personal data failed its integrity check (AES-GCM tag) or is malformed: the stored ciphertext, its
 * subject or its key version was changed, or the data key was wrapped under another master key. Nothing is returned
 * for such an event; restore the row from a backup.
 */
public final class PersonalDataTamperedException extends EskitException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message that says what failed. */
    public PersonalDataTamperedException(String message, Throwable cause) {
        super(message, cause);
    }
}
