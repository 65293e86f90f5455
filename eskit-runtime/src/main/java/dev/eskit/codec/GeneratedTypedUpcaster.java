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
 * are skipped, missing ones left null (or zero).
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
        A old;
        try (JsonParser raw = JSON.createParser(data.toBytes(JSON))) {
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
            byte[] bytes = GENERATORS.write(writes, next);
            try (JsonParser in = JSON.createParser(bytes)) {
                in.nextToken();
                return JsonObject.read(in);
            }
        } catch (IOException e) {
            throw new EventDecodingException("The typed upcaster from " + from.getName() + " returned "
                    + next.getClass().getName() + ", which cannot be written: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Upcaster.typed(" + from.getName() + ", generated codecs)";
    }
}
