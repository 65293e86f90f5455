package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.EventDecodingException;
import java.io.IOException;

/** Runs a generated {@link ValueCodec} over bytes: one top-level value, nothing after it. */
final class GeneratedIo {

    private GeneratedIo() {
    }

    /** The unchecked cast every caller needs: an {@link EventType}'s codec is of its own class. */
    @SuppressWarnings("unchecked")
    static ValueCodec<Object> codec(EventType<?> type) {
        return (ValueCodec<Object>) type.codec();
    }

    /**
     * Reads the one value of {@code parser} (closed afterwards); fails on a top-level null and on trailing content.
     */
    static Object read(JsonParser parser, ValueCodec<Object> codec, String typeName, int schemaVersion)
            throws IOException {
        try (JsonParser in = parser) {
            JsonToken first = in.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                throw new EventDecodingException("Stored data of event \"" + typeName + "\" (schema version "
                        + schemaVersion + ") is " + (first == null ? "empty" : "JSON null") + ", not an object. The"
                        + " row was not written by eskit or was changed by hand; restore the event's data.");
            }
            Object value = codec.read(in);
            Codecs.expectEnd(in, typeName);
            return value;
        }
    }
}
