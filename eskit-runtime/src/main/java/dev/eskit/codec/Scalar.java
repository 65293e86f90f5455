package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** A codec of a value of one token; null is null. */
final class Scalar<T> implements ValueCodec<T> {
    private final String what;
    private final Writer<T> writer;
    private final Reader<T> reader;
    private final JsonToken[] accepted;

    Scalar(String what, Writer<T> writer, Reader<T> reader, JsonToken... accepted) {
        this.what = what;
        this.writer = writer;
        this.reader = reader;
        this.accepted = accepted;
    }

    @Override
    public void write(JsonGenerator out, T value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else {
            writer.write(out, value);
        }
    }

    @Override
    public T read(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        for (JsonToken ok : accepted) {
            if (ok == token) {
                return reader.read(in);
            }
        }
        throw Codecs.mismatch(in, what);
    }

    /** Writes one value. */
    @FunctionalInterface
    interface Writer<T> {
        void write(JsonGenerator out, T value) throws IOException;
    }

    /** Reads one value from the current token. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonParser in) throws IOException;
    }
}
