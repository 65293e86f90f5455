package dev.eskit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.eskit.EskitException;
import dev.eskit.Metadata;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.RawEvent;
import dev.eskit.jdbi.StreamInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns rows into JSON trees and text lines. Payloads of event types the application's registries know are decoded
 * (upcasters applied) and written back as JSON; other payloads are shown as stored, CBOR ones converted to JSON. With
 * {@code raw}, payloads are never decoded: JSON as stored, CBOR as its bytes in hex.
 */
final class Views {

    private final ObjectMapper mapper;
    private final JsonEventCodec codec;
    private final boolean raw;
    /** Reads stored CBOR into trees; made on first use. */
    private ObjectMapper cbor;

    Views(EventCodec codec) {
        this(codec, false);
    }

    Views(EventCodec codec, boolean raw) {
        this.codec = codec instanceof JsonEventCodec json ? json : null;
        this.raw = raw;
        this.mapper = (this.codec != null ? this.codec.mapper().copy() : JsonEventCodec.defaultMapper())
                .disable(SerializationFeature.INDENT_OUTPUT);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The event as a JSON object: envelope, metadata and payload, with {@code decoded} saying how it was read. */
    ObjectNode event(RawEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("position", event.position().toToken());
        node.put("id", event.id().toString());
        node.put("streamType", event.stream().type());
        node.put("streamId", event.stream().id());
        node.put("version", event.version());
        node.put("type", event.eventType());
        node.put("schemaVersion", event.schemaVersion());
        node.put("timestamp", event.timestamp().toString());
        node.put("codec", event.codec());
        node.set("metadata", event.metadata() == null ? mapper.createObjectNode() : tree(event.metadata()));
        boolean json = event.codec().equals(EncodedEvent.JSON);
        if (raw) {
            node.set("data", json ? tree(event.data()) : new TextNode(HexFormat.of().formatHex(event.data())));
            node.put("decoded", false);
            return node;
        }
        boolean known = codec != null && codec.types().findByName(event.eventType()) != null;
        if (known) {
            try {
                // With the event's id and place, so personal data bound to its event decrypts (and names it); with
                // the codec of the row's format (JSON or CBOR).
                Object decoded = codec.forFormat(event.codec()).decode(event.eventType(), event.schemaVersion(),
                        event.data(), new EventContext(event.id(), event.stream(), event.version(),
                                event.position()));
                node.set("data", mapper.valueToTree(decoded));
                node.put("decoded", true);
                return node;
            } catch (EskitException | IllegalArgumentException e) {
                node.put("decodeError", e.getMessage());
            }
        }
        node.set("data", json ? tree(event.data()) : cborTree(event.data()));
        node.put("decoded", false);
        return node;
    }

    /** Stored CBOR as a JSON tree (binary values become base64 strings), or its bytes in hex when unreadable. */
    private JsonNode cborTree(byte[] bytes) {
        try {
            if (cbor == null) {
                cbor = new ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
            }
            return cbor.readTree(bytes);
        } catch (IOException e) {
            return new TextNode(HexFormat.of().formatHex(bytes));
        }
    }

    /** How {@link #event}'s data was read, for text output. */
    static String dataLabel(ObjectNode event) {
        if (event.get("decoded").asBoolean()) {
            return "decoded";
        }
        boolean json = event.get("codec").asText().equals(EncodedEvent.JSON);
        return json ? "stored JSON" : event.get("data").isTextual() ? "stored CBOR, hex" : "stored CBOR as JSON";
    }

    /** The correlation id in the event's metadata, or {@code null}. */
    String correlationId(RawEvent event) {
        if (event.metadata() == null) {
            return null;
        }
        if (codec != null) {
            try {
                Metadata metadata = codec.decodeMetadata(event.metadata());
                return metadata.correlationId();
            } catch (EskitException e) {
                // Fall back to reading the JSON field below.
            }
        }
        JsonNode value = tree(event.metadata()).get("correlationId");
        return value == null || value.isNull() ? null : value.asText();
    }

    private JsonNode tree(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return new TextNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** One line per event for text output. */
    String eventLine(ObjectNode event) {
        return String.format("%-12s %s/%s v%d  %s (schema v%d)  %s  %s", event.get("position").asText(),
                Text.safe(event.get("streamType").asText()), Text.safe(event.get("streamId").asText()),
                event.get("version").asLong(), Text.safe(event.get("type").asText()),
                event.get("schemaVersion").asInt(), event.get("timestamp").asText(),
                Text.safe(compact(event.get("data"))));
    }

    /** A stream as a JSON object. */
    ObjectNode stream(StreamInfo stream) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", stream.stream().type());
        node.put("id", stream.stream().id());
        node.put("version", stream.version());
        node.put("status", stream.status().name().toLowerCase(java.util.Locale.ROOT));
        return node;
    }

    /** A JSON array of {@code nodes}. */
    ArrayNode array(List<? extends JsonNode> nodes) {
        ArrayNode array = mapper.createArrayNode();
        array.addAll(nodes);
        return array;
    }

    String compact(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node);
        }
    }

    /** Prints {@code node} pretty-printed. */
    void print(PrintWriter out, JsonNode node) {
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.DATABASE, "Could not write JSON: " + e.getMessage(), e);
        }
        out.flush();
    }
}
