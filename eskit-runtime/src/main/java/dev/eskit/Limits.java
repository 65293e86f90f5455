package dev.eskit;

/** The bounds eskit enforces on every input, before anything is written. */
public final class Limits {
    /** Longest stream type, stream id or idempotency key, in characters. */
    public static final int MAX_ID_LENGTH = 256;
    /** Most events in one append. */
    public static final int MAX_EVENTS_PER_APPEND = 10_000;
    /** Most extra metadata entries on one event. */
    public static final int MAX_METADATA_ENTRIES = 100;
    /** Largest metadata (all fields and extras, UTF-8) on one event, in bytes. */
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    /** Most events returned by one read of the global log. */
    public static final int MAX_READ_LIMIT = 10_000;

    private Limits() {
    }

    /**
     * Checks an identifier: non-empty, at most {@link #MAX_ID_LENGTH} characters, no NUL byte.
     *
     * @return the problem in words, or {@code null} when {@code value} is fine
     */
    static String checkIdentifier(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_ID_LENGTH) {
            return "is " + value.length() + " characters long, more than the limit of " + MAX_ID_LENGTH;
        }
        if (value.indexOf('\0') >= 0) {
            return "contains a NUL byte";
        }
        return null;
    }

    static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return '"' + shown.replace("\0", "\\0") + '"';
    }
}
