package dev.eskit.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns the JSON of one schema version of an event into the JSON of the next version. The annotation processor
 * generates these from {@code @Upcast} methods; they may also be written by hand.
 *
 * <pre>{@code
 * Upcaster addReason = json -> json.put("reason", "unknown");              // JSON form
 * Upcaster toV3 = Upcaster.typed(WithdrawnV2.class, WithdrawnUpcasts::toV3); // typed form: old record -> next
 * Upcaster toV4 = Upcaster.streaming(v3 -> v3.put("note", ""));           // JsonObject form: no databind needed
 * }</pre>
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * Returns the next version's JSON. May change {@code node} in place and return it.
     */
    ObjectNode upcast(ObjectNode node);

    /**
     * Returns the next version's JSON, with the codec's {@code mapper} at hand for upcasters that read the JSON into
     * an old record ({@link #typed}). {@link JsonEventCodec} calls this one; the default calls {@link #upcast(ObjectNode)}.
     */
    default ObjectNode upcast(ObjectNode node, ObjectMapper mapper) {
        return upcast(node);
    }

    /**
     * A typed upcaster: reads the stored JSON into {@code from} (a record kept for the old shape, such as
     * {@code WithdrawnV1}) with the codec's mapper, applies {@code step}, and writes its result (the next version's
     * record, or an {@link ObjectNode}) back to JSON for the next step.
     *
     * @param from the record class of the old version
     * @param step turns the old record into the next version
     * @param <A>  the old record
     * @return the upcaster
     */
    /**
     * An upcaster on eskit's {@link JsonObject} instead of databind's tree: {@link StreamingEventCodec} runs a chain
     * of these without jackson-databind on the class path ({@link JsonEventCodec} runs them too). The processor
     * registers {@code @Upcast} methods {@code static JsonObject m(JsonObject)} this way.
     *
     * @param step turns one version's data into the next
     * @return the upcaster
     */
    static Upcaster streaming(StreamingUpcaster step) {
        return new StreamingUpcasterStep(step);
    }

    static <A> Upcaster typed(Class<A> from, Function<? super A, ?> step) {
        return new TypedUpcaster<>(Objects.requireNonNull(from, "from"), Objects.requireNonNull(step, "step"));
    }

    /**
     * A typed upcaster whose old record is read by {@code reads} and whose result is written by {@code writes},
     * generated codecs: it runs on {@link JsonObject} like {@link #streaming}, so {@link StreamingEventCodec} needs no
     * jackson-databind and nothing is read by reflection. The processor registers {@code @Upcast} methods on records
     * this way when it can generate both codecs (else {@link #typed(Class, Function)}). The old record is read
     * leniently, as the databind form reads it: unknown properties skipped, missing ones null (or zero).
     *
     * @param from   the record class of the old version
     * @param step   turns the old record into the next version's record
     * @param reads  the generated codec of {@code from}
     * @param writes the generated codec of the record {@code step} returns
     * @param <A>    the old record
     * @param <B>    the next version's record
     * @return the upcaster
     */
    static <A, B> Upcaster typed(Class<A> from, Function<? super A, ? extends B> step, ValueCodec<A> reads,
                                 ValueCodec<B> writes) {
        return new StreamingUpcasterStep(new GeneratedTypedUpcaster<>(Objects.requireNonNull(from, "from"),
                Objects.requireNonNull(step, "step"), Objects.requireNonNull(reads, "reads"),
                Objects.requireNonNull(writes, "writes")));
    }
}
