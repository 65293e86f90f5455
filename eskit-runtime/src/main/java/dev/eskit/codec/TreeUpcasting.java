package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import java.io.IOException;

/**
 * The upcaster chain of {@link StreamingEventCodec}, on databind's tree model: the only part of that codec that needs
 * jackson-databind, loaded only when an older version is read.
 */
final class TreeUpcasting {

    private TreeUpcasting() {
    }

    /** eskit's default mapper over {@code factory} (typed upcasters read old records with it). */
    static Object mapper(JsonFactory factory) {
        return JsonEventCodec.defaultMapper().copyWith(factory);
    }

    /**
     * Runs {@code step} on databind's {@code node}: the node's tokens are read into a {@link JsonObject}, and the
     * result is turned back into a node ({@code mapper} may be null: eskit's default mapper).
     */
    static ObjectNode bridge(StreamingUpcaster step, ObjectNode node, ObjectMapper mapper) {
        ObjectMapper databind = mapper != null ? mapper : Default.MAPPER;
        try (JsonParser in = databind.treeAsTokens(node)) {
            in.nextToken();
            JsonObject next = step.upcast(JsonObject.read(in));
            if (next == null) {
                throw new EventDecodingException("The upcaster " + step + " returned null. Return the next"
                        + " version's JsonObject.");
            }
            com.fasterxml.jackson.databind.util.TokenBuffer buffer =
                    new com.fasterxml.jackson.databind.util.TokenBuffer(databind, false);
            next.write(buffer);
            return (ObjectNode) databind.readTree(buffer.asParser(databind));
        } catch (IOException e) {
            throw new EventDecodingException("Upcasting failed: " + e.getMessage(), e);
        }
    }

    /** Created on first use only. */
    private static final class Default {
        static final ObjectMapper MAPPER = JsonEventCodec.defaultMapper();
    }

    /** A parser over the current version's tree of {@code data}, stored as {@code schemaVersion}. */
    static JsonParser upcast(Object databind, EventType<?> type, int schemaVersion, byte[] data)
            throws IOException {
        ObjectMapper mapper = (ObjectMapper) databind;
        JsonNode tree = mapper.readTree(data);
        if (!(tree instanceof ObjectNode node)) {
            throw new EventDecodingException("Event \"" + type.name() + "\" version " + schemaVersion
                    + " is not an object, so it cannot be upcast.");
        }
        ObjectNode current = node;
        for (int version = schemaVersion; version < type.version(); version++) {
            Upcaster upcaster = type.upcasters().get(version);
            if (upcaster == null) {
                throw new EventDecodingException("Event \"" + type.name() + "\" was stored with schema version "
                        + schemaVersion + " but no upcaster turns version " + version + " into " + (version + 1)
                        + ". Add @Upcast(event = " + type.javaType().getSimpleName() + ".class, from = " + version
                        + ").");
            }
            current = upcaster.upcast(current, mapper);
        }
        return current.traverse(mapper);
    }
}
