package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata as JSON over jackson-core only, the same bytes {@link JsonEventCodec} writes: {@link StreamingEventCodec}
 * uses it so metadata stays JSON (readable by every tool) whatever format the event data has.
 */
final class MetadataJson {

    private final JsonFactory json;

    MetadataJson(JsonFactory json) {
        this.json = json;
    }

    byte[] encode(Metadata metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            field(generator, "correlationId", metadata.correlationId());
            field(generator, "causationId", metadata.causationId());
            field(generator, "initiator", metadata.initiator());
            field(generator, "originator", metadata.originator());
            if (!metadata.extras().isEmpty()) {
                generator.writeObjectFieldStart("extras");
                for (Map.Entry<String, String> entry : metadata.extras().entrySet()) {
                    generator.writeStringField(entry.getKey(), entry.getValue());
                }
                generator.writeEndObject();
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new EventEncodingException("Metadata cannot be written as JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void field(JsonGenerator generator, String name, String value) throws IOException {
        if (value != null) {
            generator.writeStringField(name, value);
        }
    }

    Metadata decode(byte[] data) {
        if (data == null || data.length == 0) {
            return Metadata.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> extras = Map.of();
        try (JsonParser in = json.createParser(data)) {
            Codecs.expect(nextOf(in), JsonToken.START_OBJECT, "a metadata object");
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                in.nextToken();
                if (field.equals("extras")) {
                    Codecs.expect(in, JsonToken.START_OBJECT, "an object of extras");
                    extras = new LinkedHashMap<>();
                    while (in.nextToken() == JsonToken.FIELD_NAME) {
                        String key = in.currentName();
                        in.nextToken();
                        Codecs.expect(in, JsonToken.VALUE_STRING, "a string");
                        extras.put(key, in.getText());
                    }
                } else if (StringFields.NAMES.contains(field)) {
                    fields.put(field, Codecs.readString(in));
                } else {
                    in.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new EventDecodingException("Stored metadata is not valid JSON: " + e.getMessage(), e);
        }
        return new Metadata(fields.get("correlationId"), fields.get("causationId"), fields.get("initiator"),
                fields.get("originator"), extras);
    }

    private static JsonParser nextOf(JsonParser in) throws IOException {
        in.nextToken();
        return in;
    }

    /** The four string fields. */
    private static final class StringFields {
        static final java.util.Set<String> NAMES = java.util.Set.of("correlationId", "causationId", "initiator",
                "originator");
    }
}
