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

    /** Encodes metadata (JSON). */
    byte[] encodeMetadata(dev.eskit.Metadata metadata);

    /**
     * Decodes metadata made by {@link #encodeMetadata(Metadata)}; {@code null} or empty input gives empty metadata.
     *
     * @throws EventDecodingException when the data is malformed
     */
    Metadata decodeMetadata(byte[] data);
}
