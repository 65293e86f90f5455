package dev.eskit.codec;

import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import dev.eskit.UnknownEventTypeException;

/** Turns event objects and metadata into stored bytes and back. Stores that persist events use one. */
public interface EventCodec {

    /** The event types this codec knows. */
    EventTypes types();

    /**
     * Encodes an event in its type's current schema version.
     *
     * @throws UnknownEventTypeException when its class is not registered
     * @throws EventEncodingException    when it cannot be serialized
     */
    EncodedEvent encode(Object event);

    /**
     * Decodes stored data, upcasting it from {@code schemaVersion} to the type's current version first.
     *
     * @throws UnknownEventTypeException when {@code type} is not registered
     * @throws EventDecodingException    when the data is malformed or an upcaster is missing
     */
    Object decode(String type, int schemaVersion, byte[] data);

    /**
     * {@link #encode(Object)} for the event at {@code where} (its id and stream), so that transforms can bind the data
     * to its event. Stores that persist events call this one; the default ignores {@code where}.
     */
    default EncodedEvent encode(Object event, EventContext where) {
        return encode(event);
    }

    /**
     * {@link #decode(String, int, byte[])} for the event at {@code where}, so that transforms can check the data's
     * binding to its event and name it in errors. Stores that persist events call this one; the default ignores
     * {@code where}.
     */
    default Object decode(String type, int schemaVersion, byte[] data, EventContext where) {
        return decode(type, schemaVersion, data);
    }

    /**
     * Whether {@link #decode(String, int, byte[], EventContext)} may look at its context, for any type and in any of
     * its {@linkplain #forFormat formats} (a transform binding personal data to its event id does). When it is
     * {@code false} a store may skip reading what only the context needs (the event's id and position) and call
     * {@link #decode(String, int, byte[])} instead, which must then decode and fail exactly as with a context. The
     * default, {@code true}, is always safe; codecs that delegate to another should answer as it does.
     */
    default boolean needsContext() {
        return true;
    }

    /**
     * The format this codec writes event data in ({@code "json"}, {@code "cbor"}): stores record it with every row
     * ({@link EncodedEvent#format()}) and read each row with {@link #forFormat} of its format, so one store can hold
     * data in several formats. The default is {@code "json"}.
     */
    default String format() {
        return EncodedEvent.JSON;
    }

    /**
     * A codec like this one (same types, upcasters, leniency) that reads and writes event data in {@code format}:
     * stores call it for rows another codec wrote, and recoding ({@code eskit migrate --recode-to}) to convert them.
     * The default knows only its own format.
     *
     * @throws EventDecodingException when this codec has no variant for {@code format}
     */
    default EventCodec forFormat(String format) {
        if (format().equals(format)) {
            return this;
        }
        throw new EventDecodingException("Event data stored as \"" + format + "\" cannot be read by "
                + getClass().getName() + ", which reads \"" + format() + "\". Use JsonEventCodec or"
                + " StreamingEventCodec, which read json and cbor rows alike.");
    }

    /** Encodes metadata (JSON). */
    byte[] encodeMetadata(dev.eskit.Metadata metadata);

    /**
     * Decodes metadata made by {@link #encodeMetadata(Metadata)}; {@code null} or empty input gives empty metadata.
     *
     * @throws EventDecodingException when the data is malformed
     */
    Metadata decodeMetadata(byte[] data);
}
