package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** A JSON array of elements. */
abstract class ArrayCodec<C extends java.util.Collection<T>, T> implements ValueCodec<C> {
    private final ValueCodec<T> element;

    ArrayCodec(ValueCodec<T> element) {
        this.element = element;
    }

    abstract C empty();

    @Override
    public void write(JsonGenerator out, C values) throws IOException {
        if (values == null) {
            out.writeNull();
            return;
        }
        // With its size, as databind writes collections: a definite-length array in CBOR.
        out.writeStartArray(values, values.size());
        for (T value : values) {
            element.write(out, value);
        }
        out.writeEndArray();
    }

    @Override
    public C read(JsonParser in) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        Codecs.expect(in, JsonToken.START_ARRAY, "an array");
        C values = empty();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            values.add(element.read(in));
        }
        return values;
    }
}
