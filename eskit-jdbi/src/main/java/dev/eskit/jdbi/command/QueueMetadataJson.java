package dev.eskit.jdbi.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.EventDecodingException;
import dev.eskit.Metadata;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * The {@code metadata} column of the command queue: a JSON object with {@code correlationId}, {@code causationId},
 * {@code initiator}, {@code originator} (each a string or null) and, when there are any, {@code extras} (an object of
 * strings). Written and read with jackson-core alone, so the queue runs without jackson-databind; the text is the one
 * databind's {@code ObjectNode} wrote before, and rows databind wrote read back the same.
 */
final class QueueMetadataJson {

    private static final JsonFactory JSON = new JsonFactory();

    private QueueMetadataJson() {
    }

    /** {@code m} as the column stores it. */
    static String write(Metadata m) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("correlationId", m.correlationId());
            json.writeStringField("causationId", m.causationId());
            json.writeStringField("initiator", m.initiator());
            json.writeStringField("originator", m.originator());
            if (!m.extras().isEmpty()) {
                json.writeObjectFieldStart("extras");
                for (Map.Entry<String, String> extra : m.extras().entrySet()) {
                    json.writeStringField(extra.getKey(), extra.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("Metadata of strings is always JSON", e);
        }
        return out.toString();
    }

    /**
     * The metadata a row stores. As databind's reading did: a missing or null field is null, a number or boolean is
     * read as its text, and a field this release does not know is skipped (a newer release may add one).
     *
     * @throws EventDecodingException when the text is not such an object (a row changed by hand)
     */
    static Metadata read(String json) {
        String correlation = null;
        String causation = null;
        String initiator = null;
        String originator = null;
        Map<String, String> extras = Map.of();
        try (JsonParser in = JSON.createParser(json)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw notMetadata(json, "it is not a JSON object", null);
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                if (name.equals("extras")) {
                    if (value == JsonToken.START_OBJECT) {
                        extras = extras(in, json);
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw notMetadata(json, "\"extras\" is not an object of strings", null);
                    }
                    continue;
                }
                switch (name) {
                    case "correlationId" -> correlation = text(in, value, name, json);
                    case "causationId" -> causation = text(in, value, name, json);
                    case "initiator" -> initiator = text(in, value, name, json);
                    case "originator" -> originator = text(in, value, name, json);
                    default -> in.skipChildren();
                }
            }
            if (in.currentToken() != JsonToken.END_OBJECT || in.nextToken() != null) {
                throw notMetadata(json, "there is content after the object", null);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notMetadata(json, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw notMetadata(json, e.getMessage(), e);
        }
        try {
            return new Metadata(correlation, causation, initiator, originator, extras);
        } catch (dev.eskit.EskitException e) {
            // An empty key, too many extras, too long: nothing eskit wrote.
            throw new EventDecodingException("Stored command metadata " + json + " is not eskit's JSON ("
                    + e.getMessage() + "). The row was changed by hand; fix it.", e);
        }
    }

    /** A known field's value: its text (a number's or boolean's too), or null. */
    private static String text(JsonParser in, JsonToken value, String name, String json) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue() || value == JsonToken.VALUE_EMBEDDED_OBJECT) {
            throw notMetadata(json, "\"" + name + "\" is not a string", null);
        }
        return in.getText();
    }

    private static Map<String, String> extras(JsonParser in, String json) throws IOException {
        Map<String, String> extras = new java.util.LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            if (value == null || !value.isScalarValue() || value == JsonToken.VALUE_NULL
                    || value == JsonToken.VALUE_EMBEDDED_OBJECT) {
                throw notMetadata(json, "\"extras\" is not an object of strings", null);
            }
            extras.put(name, in.getText());
        }
        return extras;
    }

    private static EventDecodingException notMetadata(String json, String why, IOException cause) {
        return new EventDecodingException("Stored command metadata " + json + " is not eskit's JSON (" + why + ")."
                + " The row was changed by hand; fix it.", cause);
    }
}
