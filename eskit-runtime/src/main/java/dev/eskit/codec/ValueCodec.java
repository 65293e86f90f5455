package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Reads and writes one Java type over jackson-core's streaming API ({@link JsonGenerator}/{@link JsonParser}), so
 * with any jackson-core format (JSON, CBOR) and without jackson-databind or reflection. The eskit processor generates
 * one for every {@code @Event} record, decider state and command it can (see {@code docs/codecs.md}); {@link Codecs}
 * holds the ones for JDK types and the combinators generated code builds on.
 *
 * <pre>{@code
 * ValueCodec<Deposited> codec = BankCodecs.DEPOSITED;      // generated next to the records
 * codec.write(generator, new Deposited("a", 5));
 * }</pre>
 *
 * @param <T> the type
 */
public interface ValueCodec<T> {

    /** Writes {@code value}; {@code null} is written as a JSON null. */
    void write(JsonGenerator out, T value) throws IOException;

    /**
     * Reads a value whose first token is the parser's current token (a JSON null included) and leaves the parser on
     * the value's last token, as Jackson's own deserializers do.
     *
     * @throws IOException a {@link com.fasterxml.jackson.core.JsonParseException} naming the type and field when the
     *                     input does not have this type's shape
     */
    T read(JsonParser in) throws IOException;
}
