package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Generators kept open over reusable byte buffers, so that encoding one value allocates its result and little else
 * (a new generator costs its object, an I/O context and an output stream per value). A small array of slots, picked by
 * thread id: a thread takes a slot's generator and puts it back, so no two threads share one; a thread finding its
 * slot empty makes a new generator. Bounded (no thread-locals), so virtual threads do not each keep one.
 */
final class GeneratorPool {

    /** Buffers grown beyond this are dropped after use rather than kept. */
    private static final int KEEP_BYTES = 64 * 1024;

    private final JsonFactory factory;
    /** Whether a generator of this format may write value after value (no state carried from one to the next). */
    private final boolean reusable;
    private final AtomicReferenceArray<Slot> slots;
    private final int mask;

    GeneratorPool(JsonFactory factory) {
        this.factory = factory;
        // JSON keeps nothing between root values; CBOR neither, unless string references are on (a table that
        // would refer to strings of an earlier value). Other formats (Smile's shared names) get a generator per value.
        String format = factory.getFormatName();
        this.reusable = JsonFactory.FORMAT_NAME_JSON.equals(format)
                || ("CBOR".equals(format) && CborFormat.withoutStringReferences(factory));
        int size = Integer.highestOneBit(Math.max(4, Math.min(64, Runtime.getRuntime().availableProcessors() * 2)));
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** {@code value} written by {@code codec} as one top-level value in the factory's format. */
    <T> byte[] write(ValueCodec<? super T> codec, T value) throws IOException {
        if (!reusable) {
            Sink sink = new Sink();
            try (JsonGenerator generator = factory.createGenerator(sink)) {
                codec.write(generator, value);
            }
            return sink.take();
        }
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        int index = (int) Thread.currentThread().getId() & mask;
        Slot slot = slots.getAndSet(index, null);
        if (slot == null) {
            slot = new Slot(factory);
        }
        // A failure leaves the generator inside an unfinished value: it is dropped, not put back.
        codec.write(slot.generator, value);
        slot.generator.flush();
        byte[] bytes = slot.sink.take();
        if (slot.sink.capacity() <= KEEP_BYTES) {
            slots.set(index, slot);
        }
        return bytes;
    }

    /** One open generator and the buffer it flushes into. */
    private static final class Slot {
        final Sink sink = new Sink();
        final JsonGenerator generator;

        Slot(JsonFactory factory) throws IOException {
            generator = factory.createGenerator(sink);
            try {
                // Values are written one after another at the root: no separator between them.
                generator.setRootValueSeparator(null);
            } catch (UnsupportedOperationException binaryFormat) {
                // Binary formats (CBOR) write none anyway.
            }
        }
    }

    /**
     * A growable byte buffer, emptied by {@link #take}. A value the generator flushes in one piece (anything shorter
     * than its 8 KB buffer) is copied once, straight into the result.
     */
    private static final class Sink extends OutputStream {
        private byte[] buffer = new byte[256];
        private int count;
        /** The first piece written since the last {@link #take}, copied as is; null when none or spilled. */
        private byte[] first;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (count == 0 && first == null) {
                first = Arrays.copyOfRange(bytes, offset, offset + length);
                return;
            }
            if (first != null) {
                byte[] spilled = first;
                first = null;
                append(spilled, 0, spilled.length);
            }
            append(bytes, offset, length);
        }

        private void append(byte[] bytes, int offset, int length) {
            if (count + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + length));
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        byte[] take() {
            byte[] bytes = first != null ? first : Arrays.copyOf(buffer, count);
            first = null;
            count = 0;
            return bytes;
        }

        int capacity() {
            return buffer.length;
        }
    }
}
