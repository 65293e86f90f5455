package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON codec over jackson-databind. Records work out of the box. A polymorphic event interface never needs
 * Jackson's default typing: the wire name stored beside the data selects the concrete class through {@link EventTypes}.
 *
 * <p>Unknown JSON properties are ignored on read, so a node running older code can still read events written by a
 * newer one that added a field.
 */
public final class JsonEventCodec implements EventCodec {

    private final EventTypes types;
    private final ObjectMapper mapper;
    private final Map<Class<?>, ObjectWriter> writers = new HashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new HashMap<>();
    private final EventDataTransform transform;

    private JsonEventCodec(EventTypes types, ObjectMapper mapper) {
        this(types, mapper, null);
    }

    private JsonEventCodec(EventTypes types, ObjectMapper mapper, EventDataTransform transform) {
        this.types = types;
        this.mapper = mapper;
        this.transform = transform;
        for (EventType<?> type : types.eventTypes()) {
            writers.put(type.javaType(), mapper.writerFor(type.javaType()));
            readers.put(type.javaType(), mapper.readerFor(type.javaType()));
        }
    }

    /** A codec with eskit's default {@link ObjectMapper} (see {@link #defaultMapper()}). */
    public static JsonEventCodec create(EventTypes types) {
        return new JsonEventCodec(types, defaultMapper());
    }

    /** A codec with your own mapper, for custom modules (Java time, Kotlin, ...). */
    public static JsonEventCodec create(EventTypes types, ObjectMapper mapper) {
        return new JsonEventCodec(types, mapper);
    }

    /** The mapper eskit uses by default: unknown properties ignored, dates as ISO strings. */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /**
     * A codec like this one that passes the JSON of the event types {@code value} applies to through it (for example
     * a {@code dev.eskit.gdpr.PersonalDataProtector}); replaces any earlier transform.
     */
    public JsonEventCodec withTransform(EventDataTransform value) {
        return new JsonEventCodec(types, mapper, java.util.Objects.requireNonNull(value, "transform"));
    }

    /** The mapper this codec uses. */
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public EventTypes types() {
        return types;
    }

    @Override
    public EncodedEvent encode(Object event) {
        EventType<?> type = types.byClass(event.getClass());
        try {
            if (transform != null && transform.appliesTo(type.name())) {
                ObjectNode tree = mapper.valueToTree(event);
                transform.beforeWrite(type.name(), tree);
                return new EncodedEvent(type.name(), type.version(), mapper.writeValueAsBytes(tree));
            }
            return new EncodedEvent(type.name(), type.version(), writers.get(type.javaType()).writeValueAsBytes(event));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new EventEncodingException("Event " + type.name() + " (" + event.getClass().getName()
                    + ") cannot be written as JSON: " + e.getMessage()
                    + ". Use records of JSON-friendly types (strings, numbers, booleans, enums, lists, records).", e);
        }
    }

    @Override
    public Object decode(String typeName, int schemaVersion, byte[] data) {
        EventType<?> type = types.byName(typeName);
        boolean transformed = transform != null && transform.appliesTo(type.name());
        try {
            if (schemaVersion == type.version() && !transformed) {
                Object event = readers.get(type.javaType()).readValue(data);
                if (event == null) {
                    // JSON null would become a StoredEvent without data; no event is ever stored as null.
                    throw new EventDecodingException("Stored data of event \"" + typeName + "\" (schema version "
                            + schemaVersion + ") is JSON null, not an object. The row was not written by eskit or"
                            + " was changed by hand; restore the event's JSON.");
                }
                return event;
            }
            if (schemaVersion > type.version() || schemaVersion < 1) {
                throw new EventDecodingException("Event \"" + typeName + "\" was stored with schema version "
                        + schemaVersion + " but this code knows versions 1 to " + type.version()
                        + ". Deploy the code that wrote it before reading it.");
            }
            JsonNode tree = mapper.readTree(data);
            if (!(tree instanceof ObjectNode node)) {
                throw new EventDecodingException("Event \"" + typeName + "\" version " + schemaVersion
                        + " is not a JSON object, so it cannot be upcast.");
            }
            ObjectNode current = node;
            for (int version = schemaVersion; version < type.version(); version++) {
                Upcaster upcaster = type.upcasters().get(version);
                if (upcaster == null) {
                    throw new EventDecodingException("Event \"" + typeName + "\" was stored with schema version "
                            + schemaVersion + " but no upcaster turns version " + version + " into " + (version + 1)
                            + ". Add @Upcast(event = " + type.javaType().getSimpleName() + ".class, from = "
                            + version + ").");
                }
                current = upcaster.upcast(current, mapper);
            }
            if (transformed) {
                transform.afterRead(type.name(), current);
            }
            return readers.get(type.javaType()).readValue(current);
        } catch (IOException e) {
            throw new EventDecodingException("Stored data of event \"" + typeName + "\" (schema version "
                    + schemaVersion + ") cannot be read as " + type.javaType().getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] encodeMetadata(Metadata metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            writeField(json, "correlationId", metadata.correlationId());
            writeField(json, "causationId", metadata.causationId());
            writeField(json, "initiator", metadata.initiator());
            writeField(json, "originator", metadata.originator());
            if (!metadata.extras().isEmpty()) {
                json.writeObjectFieldStart("extras");
                for (Map.Entry<String, String> entry : metadata.extras().entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new EventEncodingException("Metadata cannot be written as JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void writeField(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    @Override
    public Metadata decodeMetadata(byte[] data) {
        if (data == null || data.length == 0) {
            return Metadata.empty();
        }
        String correlation = null;
        String causation = null;
        String initiator = null;
        String originator = null;
        Map<String, String> extras = Map.of();
        try (JsonParser json = mapper.getFactory().createParser(data)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "correlationId" -> correlation = nullableString(json, value, field);
                    case "causationId" -> causation = nullableString(json, value, field);
                    case "initiator" -> initiator = nullableString(json, value, field);
                    case "originator" -> originator = nullableString(json, value, field);
                    case "extras" -> {
                        expect(value, JsonToken.START_OBJECT);
                        extras = new LinkedHashMap<>();
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String key = json.currentName();
                            // Extras are string to string; anything else would desynchronise the parser.
                            expect(json.nextToken(), JsonToken.VALUE_STRING);
                            extras.put(key, json.getText());
                        }
                    }
                    default -> json.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new EventDecodingException("Stored metadata is not valid JSON: " + e.getMessage(), e);
        }
        return new Metadata(correlation, causation, initiator, originator, extras);
    }

    private static String nullableString(JsonParser json, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException("metadata field \"" + field + "\" must be a string but is " + value);
        }
        return json.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
