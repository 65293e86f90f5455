package dev.eskit.processor.read;

/**
 * Thrown by a reader when a type refers to a type that does not exist yet (another processor may generate it in this
 * round); the processor retries the type in the next round and reports it in the last one.
 */
public final class DeferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String missing;

    /** A deferral because of {@code missing}. */
    public DeferException(String missing) {
        super("Refers to " + missing + ", which does not exist yet", null, false, false);
        this.missing = missing;
    }

    /** The missing type, as javac prints it. */
    public String missing() {
        return missing;
    }
}
