package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON factory the codecs parse stored event data and metadata with: a copy of the codec's factory (same
 * features and read constraints) that opens a UTF-8 parser over a byte array directly, without the encoding detection
 * of Jackson's bootstrapper. eskit writes UTF-8 only; data that starts like another encoding (a byte order mark, a
 * zero byte in the first two) still goes through the bootstrapper, so nothing reads differently.
 *
 * <p>Its parsers take their buffers from a few {@link BufferRecycler}s of its own, picked by thread id, instead of
 * Jackson's per-thread recycler (a thread-local and a soft reference looked up per parser). A recycler hands out and
 * takes back buffers atomically, so two threads on one slot are safe (the second just allocates a buffer).
 */
final class Utf8JsonFactory extends JsonFactory {

    private static final long serialVersionUID = 1L;

    /** Striped by thread id; bounded, so virtual threads do not each keep buffers. */
    private final transient BufferRecycler[] recyclers;
    private final transient int mask;

    private Utf8JsonFactory(JsonFactory source) {
        super(source, null);
        int size = Integer.highestOneBit(Math.max(4, Math.min(64, Runtime.getRuntime().availableProcessors() * 2)));
        recyclers = new BufferRecycler[size];
        for (int i = 0; i < size; i++) {
            recyclers[i] = new BufferRecycler();
        }
        mask = size - 1;
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
    public JsonParser createParser(byte[] data) throws IOException {
        return createParser(data, 0, data.length);
    }

    @Override
    public JsonParser createParser(byte[] data, int offset, int len) throws IOException {
        // No input decorator ({@link #of} checks), so the bytes go straight to the parser.
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        BufferRecycler recycler = recyclers[(int) Thread.currentThread().getId() & mask];
        IOContext context = new IOContext(_streamReadConstraints, _streamWriteConstraints, _errorReportConfiguration,
                recycler, content(data, offset, len), true)
                // Not linked to a pool: closing the parser returns its buffers to the recycler and nothing else.
                .markBufferRecyclerReleased();
        return _createParser(data, offset, len, context);
    }

    /**
     * A parser that reads UTF-8 JSON from {@code feed} value after value ({@link ParserPool}), with buffers of its own
     * (it holds them while it is open).
     */
    JsonParser createFeedParser(InputStream feed) {
        IOContext context = new IOContext(_streamReadConstraints, _streamWriteConstraints, _errorReportConfiguration,
                new BufferRecycler(), content(feed, -1, -1), true).markBufferRecyclerReleased();
        context.setEncoding(JsonEncoding.UTF8);
        return new UTF8StreamJsonParser(context, _parserFeatures, feed, _objectCodec,
                _byteSymbolCanonicalizer.makeChild(_factoryFeatures), context.allocReadIOBuffer(), 0, 0, true);
    }

    /**
     * What error locations may show of the source: nothing unless the parsers include it
     * ({@code INCLUDE_SOURCE_IN_LOCATION}, off by default), then no reference needs making per parser.
     */
    private ContentReference content(Object source, int offset, int len) {
        if (!JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION.enabledIn(_parserFeatures)) {
            return ContentReference.redacted();
        }
        return offset < 0 ? _createContentReference(source) : _createContentReference(source, offset, len);
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
