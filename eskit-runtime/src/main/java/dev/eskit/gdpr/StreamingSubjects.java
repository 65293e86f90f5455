package dev.eskit.gdpr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonObject;
import dev.eskit.codec.ValueCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** An event as its generated codec writes it, as a {@link JsonObject}: how {@code subjectsOf} avoids databind. */
final class StreamingSubjects {

    private static final JsonFactory JSON = new JsonFactory();

    private StreamingSubjects() {
    }

    /** The tree of {@code event}, or null when its type is unknown to {@code types} or has no generated codec. */
    @SuppressWarnings("unchecked")
    static JsonObject tree(EventTypes types, Object event) {
        EventType<?> type;
        try {
            type = types.byClass(event.getClass());
        } catch (RuntimeException unknown) {
            return null;
        }
        ValueCodec<Object> codec = (ValueCodec<Object>) type.codec();
        if (codec == null) {
            return null;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(128);
        try {
            try (com.fasterxml.jackson.core.JsonGenerator out = JSON.createGenerator(bytes)) {
                codec.write(out, event);
            }
            try (JsonParser in = JSON.createParser(bytes.toByteArray())) {
                in.nextToken();
                return JsonObject.read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
