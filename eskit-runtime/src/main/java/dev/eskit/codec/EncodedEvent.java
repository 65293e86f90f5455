package dev.eskit.codec;

/**
 * An event in its stored form.
 *
 * @param type          the wire name
 * @param schemaVersion the schema version the data is in
 * @param data          the encoded data: UTF-8 JSON, or CBOR, ... as {@code format} says
 * @param format        the data's format, {@value #JSON} or {@value #CBOR} (see {@link EventCodec#format()}); stores
 *                      record it with the row
 */
public record EncodedEvent(String type, int schemaVersion, byte[] data, String format) {

    /** The format name of JSON data. */
    public static final String JSON = "json";
    /** The format name of CBOR data. */
    public static final String CBOR = "cbor";

    /**
     * Checks the wire name ({@link CodecLimits#checkWireName}), so that a codec cannot write one no tool can read, and
     * the format name (1 to 16 lowercase ASCII letters and digits).
     */
    public EncodedEvent {
        CodecLimits.checkWireName(type);
        if (format != JSON && !validFormat(format)) {
            throw new dev.eskit.InvalidInputException("Event data format " + (format == null ? "null" : "\"" + format
                    + "\"") + " is not a format name. Use 1 to 16 lowercase ASCII letters and digits, such as \"cbor\".");
        }
    }

    /** JSON data. */
    public EncodedEvent(String type, int schemaVersion, byte[] data) {
        this(type, schemaVersion, data, JSON);
    }

    private static boolean validFormat(String format) {
        if (format == null || format.isEmpty() || format.length() > 16) {
            return false;
        }
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
