package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import java.util.function.Function;

/** {@link Upcaster#typed}: JSON -> old record -> step -> next version's JSON. */
final class TypedUpcaster<A> implements Upcaster {

    private final Class<A> from;
    private final Function<? super A, ?> step;

    TypedUpcaster(Class<A> from, Function<? super A, ?> step) {
        this.from = from;
        this.step = step;
    }

    /** Without a codec at hand, eskit's default mapper reads and writes the records. */
    @Override
    public ObjectNode upcast(ObjectNode node) {
        return upcast(node, DefaultMapper.MAPPER);
    }

    @Override
    public ObjectNode upcast(ObjectNode node, ObjectMapper mapper) {
        A old;
        try {
            old = mapper.treeToValue(node, from);
        } catch (JsonProcessingException e) {
            throw new EventDecodingException("Stored JSON cannot be read as " + from.getName()
                    + ", the old shape this typed upcaster reads: " + e.getOriginalMessage()
                    + ". Make the record's components match the JSON that version stored.", e);
        }
        Object next = step.apply(old);
        if (next == null) {
            throw new EventDecodingException("The typed upcaster from " + from.getName()
                    + " returned null. Return the next version's record (or an ObjectNode).");
        }
        if (next instanceof ObjectNode json) {
            return json;
        }
        JsonNode tree = mapper.valueToTree(next);
        if (!(tree instanceof ObjectNode json)) {
            throw new EventDecodingException("The typed upcaster from " + from.getName() + " returned "
                    + next.getClass().getName() + ", which is not written as a JSON object. Return a record.");
        }
        return json;
    }

    @Override
    public String toString() {
        return "Upcaster.typed(" + from.getName() + ")";
    }

    /** Created on first use only. */
    private static final class DefaultMapper {
        static final ObjectMapper MAPPER = JsonEventCodec.defaultMapper();
    }
}
