package dev.eskit.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.codec.JsonEventCodec;

/**
 * Turns a decider's state into snapshot bytes and back, and names the state's shape so that a snapshot of an older
 * shape is recognised and ignored.
 *
 * <pre>{@code
 * StateCodec<AccountState> codec = StateCodec.json(AccountState.class);
 * CommandHandler.builder(store, new AccountDecider(), "account").snapshots(snapshots, codec, 500).build();
 * }</pre>
 *
 * @param <S> the state type
 */
public interface StateCodec<S> {

    /**
     * The schema stored with each snapshot. It must change whenever the serialized form changes; a snapshot with
     * another schema is ignored and replaced.
     */
    String schema();

    /**
     * Serializes a state.
     *
     * @throws EventEncodingException when the state cannot be serialized
     */
    byte[] encode(S state);

    /**
     * Deserializes a state made by {@link #encode(Object)} under the same {@link #schema()}.
     *
     * @throws EventDecodingException when the bytes are not a valid state
     */
    S decode(byte[] data);

    /**
     * JSON through eskit's default mapper, with a schema derived from the shape Jackson sees (see
     * {@link JsonStateCodec}).
     */
    static <S> StateCodec<S> json(Class<S> stateType) {
        return new JsonStateCodec<>(JsonEventCodec.defaultMapper(), stateType);
    }

    /**
     * JSON through a generated codec (no jackson-databind): the processor writes these as
     * {@code <Package>Codecs.<STATE>_SNAPSHOTS}, with {@code schema} derived from the state's shape.
     */
    static <S> StateCodec<S> of(dev.eskit.codec.ValueCodec<S> codec, String schema) {
        return new GeneratedStateCodec<>(codec, schema, new com.fasterxml.jackson.core.JsonFactory());
    }

    /** Like {@link #of(dev.eskit.codec.ValueCodec, String)} in another jackson-core format (CBOR, ...). */
    static <S> StateCodec<S> of(dev.eskit.codec.ValueCodec<S> codec, String schema,
                                com.fasterxml.jackson.core.JsonFactory format) {
        return new GeneratedStateCodec<>(codec, schema, format);
    }

    /** JSON through your own mapper (custom modules), with a schema derived from the shape that mapper sees. */
    static <S> StateCodec<S> json(ObjectMapper mapper, Class<S> stateType) {
        return new JsonStateCodec<>(mapper, stateType);
    }
}
