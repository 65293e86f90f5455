package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads values of one generated {@link ValueCodec} from byte arrays, one value per array, as the event codecs read
 * event data: with parsers kept open between values (plain JSON and CBOR), so that a small value does not cost a new
 * parser each time. Generated snapshot codecs ({@code StateCodec.of}) read states with one; use it to read your own
 * stored values the same way. Safe for many threads.
 *
 * <pre>{@code
 * ValueReader<AccountState> states = ValueReader.of(DomainCodecs.ACCOUNT_STATE, new JsonFactory());
 * AccountState state = states.read(bytes);
 * }</pre>
 *
 * @param <T> the type the codec reads
 */
public final class ValueReader<T> {

    private final ValueCodec<Object> codec;
    private final ParserPool pool;

    @SuppressWarnings("unchecked") // A ValueCodec<T> reads a T, which is an Object.
    private ValueReader(ValueCodec<T> codec, JsonFactory format) {
        this.codec = (ValueCodec<Object>) Objects.requireNonNull(codec, "codec");
        this.pool = new ParserPool(Utf8JsonFactory.of(Objects.requireNonNull(format, "format")));
    }

    /**
     * A reader of {@code codec}'s values in {@code format}'s encoding (a {@code JsonFactory}, a {@code CBORFactory},
     * ...; its read constraints apply).
     */
    public static <T> ValueReader<T> of(ValueCodec<T> codec, JsonFactory format) {
        return new ValueReader<>(codec, format);
    }

    /**
     * The one value in {@code data}.
     *
     * @throws IOException when {@code data} is empty or a top-level null, is not well-formed, has content after the
     *                     value, or holds what the codec refuses (its messages name the type and the field)
     */
    @SuppressWarnings("unchecked") // The codec's value.
    public T read(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        Object kept = pool.readKept(data, codec, false);
        if (kept != ParserPool.NOT_KEPT) {
            return (T) kept;
        }
        try (JsonParser in = pool.parser(data)) {
            JsonToken first = in.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                throw new IOException("the data is " + (first == null ? "empty" : "a top-level null") + ", not a"
                        + " value");
            }
            Object value = codec.read(in);
            if (in.nextToken() != null) {
                throw new IOException("there is content after the value");
            }
            return (T) value;
        }
    }
}
