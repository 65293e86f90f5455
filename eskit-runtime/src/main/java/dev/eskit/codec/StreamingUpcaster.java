package dev.eskit.codec;

/**
 * An upcaster on {@link JsonObject}, which needs jackson-core only: turns one schema version's data into the next
 * version's. The processor registers {@code @Upcast} methods of the form {@code static JsonObject m(JsonObject)} as
 * these ({@link Upcaster#streaming}); {@link StreamingEventCodec} runs a chain of them without jackson-databind.
 *
 * <pre>{@code
 * Upcaster toV2 = Upcaster.streaming(v1 -> v1.put("currency", "EUR"));
 * }</pre>
 */
@FunctionalInterface
public interface StreamingUpcaster {

    /** Returns the next version's data; may change {@code data} in place and return it. */
    JsonObject upcast(JsonObject data);
}
