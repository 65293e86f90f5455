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
    /**
     * Largest append, in bytes: the encoded data of all its events plus its metadata once per event (each stored
     * event row carries the append's metadata). Bounds what one append writes and holds in memory.
     */
    public static final int MAX_APPEND_BYTES = 16 * 1024 * 1024;
    /** Most events returned by one read of the global log. */
    public static final int MAX_READ_LIMIT = 10_000;

    private Limits() {
    }

    /**
     * Checks an identifier (stream type or id, idempotency key, subscription or todo name, data subject id): non-empty,
     * at most {@link #MAX_ID_LENGTH} characters, no NUL byte, valid Unicode (no unpaired surrogate: the JDBC drivers
     * store one as {@code '?'}, so two different ids would become one). The one check every identifier goes through.
     *
     * @return the problem in words, or {@code null} when {@code value} is fine
     */
    public static String checkIdentifier(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_ID_LENGTH) {
            return "is " + value.length() + " characters long, more than the limit of " + MAX_ID_LENGTH;
        }
        if (value.indexOf('\0') >= 0) {
            return "contains a NUL byte";
        }
        int bad = unpairedSurrogate(value);
        if (bad >= 0) {
            return String.format("contains an unpaired surrogate \\u%04X at index %d (invalid Unicode, which the"
                    + " databases would store as '?')", (int) value.charAt(bad), bad);
        }
        return null;
    }

    /** The index of the first unpaired surrogate in {@code value}, or -1 when it is valid UTF-16. */
    public static int unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks the running size of an append as a store encodes it: {@code bytes} so far, after event {@code index}.
     * Stores call it after encoding each event, so an append over {@link #MAX_APPEND_BYTES} fails before the rest is
     * encoded; nothing is written.
     *
     * @throws BatchTooLargeException when {@code bytes} is over the limit
     */
    public static void checkAppendBytes(StreamRef stream, int index, int events, long bytes) {
        if (bytes > MAX_APPEND_BYTES) {
            throw new BatchTooLargeException("Append to " + stream + " of " + events + " events is over the limit of "
                    + MAX_APPEND_BYTES + " bytes (event data plus metadata once per event) by event " + index
                    + ". Split it into several appends (each is atomic on its own), and keep bulky data out of"
                    + " metadata, which every event of the append stores.");
        }
    }

    /**
     * {@code value} quoted for an error message: at most 40 characters; control characters, surrogates, line
     * separators and the bidirectional formatting characters (which can make a message read in another order) are
     * escaped as {@code \\uXXXX}.
     */
    public static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 40 ? value.substring(0, 40) : value;
        StringBuilder out = new StringBuilder(shown.length() + 8).append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '\0') {
                out.append("\\0");
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029'
                    || bidiControl(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(value.length() > 40 ? "...\"" : "\"").toString();
    }

    /** The characters that change the direction text is shown in: marks, embeddings, overrides and isolates. */
    private static boolean bidiControl(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
