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

    /** Encodes metadata (JSON). */
    byte[] encodeMetadata(dev.eskit.Metadata metadata);

    /**
     * Decodes metadata made by {@link #encodeMetadata(Metadata)}; {@code null} or empty input gives empty metadata.
     *
     * @throws EventDecodingException when the data is malformed
     */
    Metadata decodeMetadata(byte[] data);
}
