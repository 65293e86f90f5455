package dev.eskit.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites an event's JSON tree as {@link JsonEventCodec} writes and reads it, for chosen event types: the hook
 * field-level encryption of personal data plugs into ({@code dev.eskit.gdpr.PersonalDataProtector}).
 *
 * <p>Types it does not apply to keep the codec's direct (tree-free) path, so a transform costs nothing for them.
 */
public interface EventDataTransform {

    /** Whether this transform rewrites events of wire name {@code eventType}. */
    boolean appliesTo(String eventType);

    /** Rewrites {@code data} in place before it is stored (the event in its current schema version). */
    void beforeWrite(String eventType, ObjectNode data);

    /** Rewrites {@code data} in place after it was read and upcast to the current schema version. */
    void afterRead(String eventType, ObjectNode data);

    /** {@link #beforeWrite(String, ObjectNode)} for the event at {@code where}; the default ignores {@code where}. */
    default void beforeWrite(String eventType, ObjectNode data, EventContext where) {
        beforeWrite(eventType, data);
    }

    /** {@link #afterRead(String, ObjectNode)} for the event at {@code where}; the default ignores {@code where}. */
    default void afterRead(String eventType, ObjectNode data, EventContext where) {
        afterRead(eventType, data);
    }

    /**
     * {@link #beforeWrite(String, ObjectNode, EventContext)} on {@link JsonObject}, as {@link StreamingEventCodec}
     * calls it (no jackson-databind); {@code where} may be null. The default refuses: a transform that
     * {@code StreamingEventCodec} uses implements it.
     */
    default void beforeWrite(String eventType, JsonObject data, EventContext where) {
        throw new UnsupportedOperationException(getClass().getName() + " rewrites databind trees only; use it with"
                + " JsonEventCodec.");
    }

    /** {@link #afterRead(String, ObjectNode, EventContext)} on {@link JsonObject}; see above. */
    default void afterRead(String eventType, JsonObject data, EventContext where) {
        throw new UnsupportedOperationException(getClass().getName() + " rewrites databind trees only; use it with"
                + " JsonEventCodec.");
    }

    /** Rewrites an append's metadata before it is stored (the protector seals personal extras); default: as is. */
    default dev.eskit.Metadata beforeWriteMetadata(dev.eskit.Metadata metadata) {
        return metadata;
    }

    /** Rewrites metadata after it was read (the protector opens personal extras); default: as is. */
    default dev.eskit.Metadata afterReadMetadata(dev.eskit.Metadata metadata) {
        return metadata;
    }
}
