package dev.eskit;

/** A stream type or stream id that is empty, longer than {@link Limits#MAX_ID_LENGTH} or contains a NUL byte. */
public final class InvalidStreamException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InvalidStreamException(String message) {
        super(message);
    }
}
