package dev.eskit;

/** An append with no events. Appending nothing is always a bug in the caller, so it is rejected. */
public final class EmptyAppendException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public EmptyAppendException(String message) {
        super(message);
    }
}
