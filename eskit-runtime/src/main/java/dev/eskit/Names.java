package dev.eskit;

/** Validation of the names eskit stores (subscription names, snapshot keys, ...), with the stream-id rules. */
public final class Names {
    private Names() {
    }

    /**
     * Returns {@code value} when it is non-empty, at most {@link Limits#MAX_ID_LENGTH} characters and free of NUL
     * bytes.
     *
     * @param what what the value is, for the message ("Subscription name")
     * @throws InvalidInputException otherwise
     */
    public static String check(String what, String value) {
        String problem = Limits.checkIdentifier(value);
        if (problem != null) {
            throw new InvalidInputException(what + " " + Limits.abbreviate(value) + " " + problem
                    + ". Use a non-empty name of at most " + Limits.MAX_ID_LENGTH
                    + " characters without NUL bytes or invalid Unicode.");
        }
        return value;
    }
}
