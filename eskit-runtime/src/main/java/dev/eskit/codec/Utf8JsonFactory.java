package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import java.io.IOException;

/**
 * The JSON factory the codecs parse stored event data and metadata with: a copy of the codec's factory (same
 * features and read constraints) that opens a UTF-8 parser over a byte array directly, without the encoding detection
 * of Jackson's bootstrapper. eskit writes UTF-8 only; data that starts like another encoding (a byte order mark, a
 * zero byte in the first two) still goes through the bootstrapper, so nothing reads differently.
 */
final class Utf8JsonFactory extends JsonFactory {

    private static final long serialVersionUID = 1L;

    private Utf8JsonFactory(JsonFactory source) {
        super(source, null);
    }

    /**
     * The factory to parse byte arrays with: a {@code Utf8JsonFactory} copy of {@code factory} when it is a plain JSON
     * factory (or databind's {@code MappingJsonFactory}, whose object codec generated readers do not use), otherwise
     * {@code factory} itself (CBOR and other formats).
     */
    static JsonFactory of(JsonFactory factory) {
        if (factory instanceof Utf8JsonFactory || !JsonFactory.FORMAT_NAME_JSON.equals(factory.getFormatName())
                || factory.getInputDecorator() != null || !plainJson(factory.getClass())) {
            return factory;
        }
        return new Utf8JsonFactory(factory);
    }

    private static boolean plainJson(Class<?> type) {
        return type == JsonFactory.class
                || type.getName().equals("com.fasterxml.jackson.databind.MappingJsonFactory");
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext context) throws IOException {
        if (len < 2 || data[offset] == 0 || data[offset + 1] == 0 || (data[offset] & 0xFF) >= 0xEF) {
            // Empty, one byte, UTF-16/32 or a byte order mark: Jackson's detection.
            return super._createParser(data, offset, len, context);
        }
        context.setEncoding(JsonEncoding.UTF8);
        return new UTF8StreamJsonParser(context, _parserFeatures, null, _objectCodec,
                _byteSymbolCanonicalizer.makeChild(_factoryFeatures), data, offset, offset + len, false);
    }
}
