package dev.eskit.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * {@link Upcaster#streaming}: a {@link StreamingUpcaster} in an {@link Upcaster} chain. {@link StreamingEventCodec}
 * calls {@link #step()} directly (no databind); a databind caller ({@link JsonEventCodec}, a mixed chain) goes through
 * {@link TreeUpcasting#bridge}. The {@code ObjectNode} methods only pass their arguments on, so this class loads and
 * links without jackson-databind.
 */
final class StreamingUpcasterStep implements Upcaster {

    private final StreamingUpcaster step;

    StreamingUpcasterStep(StreamingUpcaster step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    StreamingUpcaster step() {
        return step;
    }

    @Override
    public ObjectNode upcast(ObjectNode node) {
        return TreeUpcasting.bridge(step, node, null);
    }

    @Override
    public ObjectNode upcast(ObjectNode node, ObjectMapper mapper) {
        return TreeUpcasting.bridge(step, node, mapper);
    }

    @Override
    public String toString() {
        return "Upcaster.streaming(" + step + ")";
    }
}
