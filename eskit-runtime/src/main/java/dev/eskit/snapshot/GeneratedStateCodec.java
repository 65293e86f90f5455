package dev.eskit.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.codec.ValueCodec;
import dev.eskit.codec.ValueReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@link StateCodec} over a generated {@link ValueCodec}: no jackson-databind, no reflection. The processor writes
 * one per decider state it can ({@code <Package>Codecs.<STATE>_SNAPSHOTS}), with a schema derived from the state's
 * generated shape, so a changed state ignores old snapshots. See {@link StateCodec#of(ValueCodec, String)}.
 *
 * @param <S> the state type
 */
final class GeneratedStateCodec<S> implements StateCodec<S> {

    private final ValueCodec<S> codec;
    private final String schema;
    private final JsonFactory factory;
    /** Reads states with parsers kept between snapshots (plain JSON and CBOR), as the event codecs read events. */
    private final ValueReader<S> reads;

    GeneratedStateCodec(ValueCodec<S> codec, String schema, JsonFactory factory) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.reads = ValueReader.of(codec, factory);
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public byte[] encode(S state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            codec.write(generator, state);
        } catch (IOException | RuntimeException e) {
            throw new EventEncodingException("State of schema " + schema + " cannot be written for a snapshot: "
                    + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public S decode(byte[] data) {
        try {
            return reads.read(data);
        } catch (IOException e) {
            throw new EventDecodingException("Snapshot data of schema " + schema + " cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
