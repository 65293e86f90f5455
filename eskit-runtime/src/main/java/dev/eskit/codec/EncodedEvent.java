package dev.eskit.codec;

/**
 * An event in its stored form.
 *
 * @param type          the wire name
 * @param schemaVersion the schema version the data is in
 * @param data          UTF-8 JSON
 */
public record EncodedEvent(String type, int schemaVersion, byte[] data) {

    /** Checks the wire name ({@link CodecLimits#checkWireName}), so that a codec cannot write one no tool can read. */
    public EncodedEvent {
        CodecLimits.checkWireName(type);
    }
}
