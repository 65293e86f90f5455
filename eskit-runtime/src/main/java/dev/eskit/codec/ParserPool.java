package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs generated readers over stored JSON with parsers kept open between values, so that decoding an event costs
 * its own objects and not a new parser, I/O context, text buffer and symbol table each time (about a fifth of a
 * small event's decode). A kept parser reads one value after another from a {@link Feed} that is handed each
 * value's bytes, as Jackson reads a sequence of root-level values from one stream.
 *
 * <p>Only the clean case uses a kept parser: an object, read to its end, followed by nothing but whitespace. Anything
 * else (an error, a top-level value that is not an object, trailing content, data not in UTF-8) drops the parser and
 * reads the value again with a {@linkplain Utf8JsonFactory fresh one}, which returns the value or throws the error
 * with its position in that value (a kept parser counts positions over every value it read). A small array of slots
 * picked by thread id, as {@link GeneratorPool}: a thread takes a slot's parser and puts it back, so no two threads
 * share one. A parser is replaced after {@value #MAX_USES} values, which bounds what it accumulates (symbol table,
 * position counters), and only values up to {@value #MAX_BYTES} bytes use one.
 *
 * <p>CBOR works the same way ({@link CborFormat#feedParser}): a CBOR parser reads a sequence of values from one
 * stream too. There the clean case is a map (major type 5, no tag before it) followed by nothing at all.
 */
final class ParserPool {

    /** Values longer than this are read with a fresh parser, whose buffers go back to the factory's recyclers. */
    static final int MAX_BYTES = 16 * 1024;
    /** Values a kept parser reads before it is closed and replaced. */
    static final int MAX_USES = 4096;
    private static final Object FAILED = new Object();
    /** What {@link #readKept} returns when no kept parser read the value. */
    static final Object NOT_KEPT = new Object();

    /** Fresh parsers (and the factory of kept ones when {@link #keeps}). */
    private final JsonFactory factory;
    private final boolean keeps;
    /** Whether the format is CBOR (else JSON). */
    private final boolean cbor;
    private final AtomicReferenceArray<Slot> slots;
    private final int mask;

    /**
     * Parsers of {@code factory}, as {@link Utf8JsonFactory#of} returns it. Kept only for plain JSON and for CBOR
     * (jackson-dataformat-cbor's own factory, not a subclass) without a document length or token count limit (those
     * count over every value a parser reads).
     */
    ParserPool(JsonFactory factory) {
        this.factory = factory;
        StreamReadConstraints limits = factory.streamReadConstraints();
        // The format name first: CborFormat links jackson-dataformat-cbor, which a JSON-only application lacks.
        this.cbor = CborFormat.NAME.equals(factory.getFormatName()) && CborFormat.keepsParsers(factory);
        this.keeps = (factory instanceof Utf8JsonFactory || cbor) && limits.getMaxDocumentLength() < 0
                && limits.getMaxTokenCount() < 0;
        int size = Integer.highestOneBit(Math.max(4, Math.min(64, Runtime.getRuntime().availableProcessors() * 2)));
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /**
     * The one value {@code codec} reads from {@code data} ({@link Codecs#lenient lenient} when asked), failing as
     * {@link GeneratedIo#read} does on a top-level null, trailing content and anything the codec refuses.
     */
    Object read(byte[] data, ValueCodec<?> reader, boolean lenient, String typeName, int schemaVersion)
            throws IOException {
        @SuppressWarnings("unchecked") // Any reader's value is an Object.
        ValueCodec<Object> codec = (ValueCodec<Object>) reader;
        Object value = readKept(data, codec, lenient);
        if (value != NOT_KEPT) {
            return value;
        }
        JsonParser in = factory.createParser(data);
        return GeneratedIo.read(lenient ? Codecs.lenient(in) : in, codec, typeName, schemaVersion);
    }

    /**
     * The value {@code codec} reads from {@code data} on a kept parser, or {@link #NOT_KEPT} when that is not the
     * clean case: then the caller reads {@code data} with a {@linkplain #parser fresh parser}, which returns the value
     * or throws the error with its position in this value (a kept parser counts positions over every value it read).
     */
    Object readKept(byte[] data, ValueCodec<Object> codec, boolean lenient) throws IOException {
        if (keeps && data.length <= MAX_BYTES && startsObject(data)) {
            @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
            int index = (int) Thread.currentThread().getId() & mask;
            Slot slot = slots.getAndSet(index, null);
            if (slot == null) {
                slot = new Slot(factory, cbor);
            }
            Object value = slot.read(data, codec, lenient);
            if (value != FAILED) {
                if (++slot.uses < MAX_USES) {
                    slots.set(index, slot);
                } else {
                    slot.close();
                }
                return value;
            }
            // Dropped: a fresh parser gives the error its position in this value (or reads what the kept one did not).
            slot.close();
        }
        return NOT_KEPT;
    }

    /** A fresh parser over {@code data}. */
    JsonParser parser(byte[] data) throws IOException {
        return factory.createParser(data);
    }

    /** Whether {@code data} starts with an object: <code>{</code> in JSON, a map's initial byte in CBOR. */
    private boolean startsObject(byte[] data) {
        return cbor ? data.length >= 1 && (data[0] & 0xE0) == 0xA0 : data.length >= 2 && data[0] == '{';
    }

    /** One kept parser and the stream it reads from. */
    private static final class Slot {
        final Feed feed;
        final JsonParser parser;
        int uses;

        Slot(JsonFactory factory, boolean cbor) throws IOException {
            feed = new Feed(cbor);
            parser = cbor ? CborFormat.feedParser(factory, feed) : ((Utf8JsonFactory) factory).createFeedParser(feed);
        }

        /** Closes the parser: its symbols go to the factory's table, its buffers to its own recycler. */
        void close() {
            try {
                parser.close();
            } catch (IOException ignored) {
                // A byte-array feed cannot fail to close; the parser is not used again either way.
            }
        }

        /** The value, or {@link #FAILED} when the parser cannot be trusted with the next value. */
        Object read(byte[] data, ValueCodec<Object> codec, boolean lenient) {
            feed.start(data);
            try {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return FAILED;
                }
                Object value = codec.read(lenient ? Codecs.lenient(parser) : parser);
                if (value == null || parser.currentToken() != JsonToken.END_OBJECT
                        || !parser.getParsingContext().inRoot() || parser.isClosed() || !feed.onlySpaceLeft(parser)) {
                    return FAILED;
                }
                return value;
            } catch (IOException | RuntimeException e) {
                return FAILED;
            } finally {
                feed.end();
            }
        }
    }

    /** The bytes of one value after another; checks that what follows a value is whitespace. */
    private static final class Feed extends InputStream {
        private static final byte[] NONE = new byte[0];
        private byte[] data = NONE;
        private int position;
        private final SpaceCheck check;

        /** A feed of JSON values, or of CBOR ones (where no byte may follow a value). */
        Feed(boolean cbor) {
            check = new SpaceCheck(cbor);
        }

        void start(byte[] value) {
            data = value;
            position = 0;
        }

        /** Forgets the value (no reference kept to a caller's array). */
        void end() {
            data = NONE;
            position = 0;
        }

        /**
         * Whether everything after the value, in the parser's buffer and not read yet, is JSON whitespace (nothing, for
         * CBOR).
         */
        boolean onlySpaceLeft(JsonParser parser) throws IOException {
            check.space = true;
            // Hands the parser's unread bytes to the check and moves the parser past them.
            parser.releaseBuffered(check);
            check.write(data, position, data.length - position);
            position = data.length;
            return check.space;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (position >= data.length) {
                return -1;
            }
            int count = Math.min(length, data.length - position);
            System.arraycopy(data, position, into, offset, count);
            position += count;
            return count;
        }
    }

    /** Remembers whether every byte written to it is JSON whitespace (CBOR has none: any byte is content). */
    private static final class SpaceCheck extends OutputStream {
        private final boolean cbor;
        boolean space = true;

        SpaceCheck(boolean cbor) {
            this.cbor = cbor;
        }

        @Override
        public void write(int b) {
            space &= !cbor && (b == ' ' || b == '\n' || b == '\r' || b == '\t');
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length && space; i++) {
                write(bytes[i]);
            }
        }
    }
}
