package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.eskit.EventDecodingException;
import java.io.IOException;
import java.util.function.Function;

/**
 * {@link Upcaster#typed(Class, Function, ValueCodec, ValueCodec)}: a typed upcaster whose old record and result are
 * read and written by generated codecs, as a {@link StreamingUpcaster} (no jackson-databind, no reflection). The old
 * record is read leniently, as databind's default mapper read it for the databind form: properties it does not have
 * are skipped, missing ones left null (or zero). Data read from a binary format (CBOR: UUIDs and {@code byte[]} as
 * bytes) goes through CBOR, so that binary values keep their form; JSON data through JSON.
 *
 * @param <A> the old record
 * @param <B> the record the step returns
 */
final class GeneratedTypedUpcaster<A, B> implements StreamingUpcaster {

    private static final JsonFactory JSON = Utf8JsonFactory.of(new JsonFactory());
    private static final GeneratorPool GENERATORS = new GeneratorPool(JSON);

    private final Class<A> from;
    private final Function<? super A, ? extends B> step;
    private final ValueCodec<A> reads;
    private final ValueCodec<B> writes;

    GeneratedTypedUpcaster(Class<A> from, Function<? super A, ? extends B> step, ValueCodec<A> reads,
                           ValueCodec<B> writes) {
        this.from = from;
        this.step = step;
        this.reads = reads;
        this.writes = writes;
    }

    @Override
    public JsonObject upcast(JsonObject data) {
        JsonFactory format = JSON;
        GeneratorPool generators = GENERATORS;
        if (binary(data)) {
            try {
                format = Cbor.FACTORY;
                generators = Cbor.GENERATORS;
            } catch (NoClassDefFoundError noCbor) {
                // Binary values from another format: JSON writes them as base64 text.
            }
        }
        A old;
        try (JsonParser raw = format.createParser(data.toBytes(format))) {
            JsonParser in = Codecs.lenient(raw);
            in.nextToken();
            old = reads.read(in);
        } catch (IOException e) {
            throw new EventDecodingException("Stored JSON cannot be read as " + from.getName() + ", the old shape this"
                    + " typed upcaster reads: " + e.getMessage() + ". Make the record's components match the JSON"
                    + " that version stored.", e);
        }
        B next = step.apply(old);
        if (next == null) {
            throw new EventDecodingException("The typed upcaster from " + from.getName() + " returned null. Return"
                    + " the next version's record.");
        }
        try {
            byte[] bytes = generators.write(writes, next);
            try (JsonParser in = format.createParser(bytes)) {
                in.nextToken();
                return JsonObject.read(in);
            }
        } catch (IOException e) {
            throw new EventDecodingException("The typed upcaster from " + from.getName() + " returned "
                    + next.getClass().getName() + ", which cannot be written: " + e.getMessage(), e);
        }
    }

    /** Whether {@code value} holds a {@code byte[]} anywhere (it was read from a binary format). */
    private static boolean binary(Object value) {
        if (value instanceof byte[]) {
            return true;
        }
        if (value instanceof JsonObject object) {
            for (String name : object.names()) {
                if (binary(object.get(name))) {
                    return true;
                }
            }
        } else if (value instanceof java.util.List<?> list) {
            for (Object item : list) {
                if (binary(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** CBOR, loaded on first use only (jackson-dataformat-cbor is optional). */
    private static final class Cbor {
        static final JsonFactory FACTORY = CborFormat.factory();
        static final GeneratorPool GENERATORS = new GeneratorPool(FACTORY);
    }

    @Override
    public String toString() {
        return "Upcaster.typed(" + from.getName() + ", generated codecs)";
    }
}
