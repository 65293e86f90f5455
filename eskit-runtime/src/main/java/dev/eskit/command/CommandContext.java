package dev.eskit.command;

import dev.eskit.Metadata;
import java.util.Objects;

/**
 * Who sends a command and why: the metadata that flows into the events it causes, and an optional idempotency key.
 *
 * <p>The events of a command get {@code metadata}'s fields; a missing correlation id or causation id is filled with
 * the command's own id ({@code commandId}), so every chain of messages can be traced back to where it started.
 *
 * @param commandId      this command's id; generated when {@code null}
 * @param metadata       correlation, causation, initiator, originator and extras to store with the events
 * @param idempotencyKey when not {@code null}, a retried command with the same key writes nothing twice
 */
public record CommandContext(String commandId, Metadata metadata, String idempotencyKey) {

    /** Fills defaults. */
    public CommandContext {
        commandId = commandId == null ? dev.eskit.internal.Ids.timeOrdered().toString() : commandId;
        metadata = metadata == null ? Metadata.empty() : metadata;
    }

    /** A context with a fresh command id and no metadata. */
    public static CommandContext create() {
        return new CommandContext(null, Metadata.empty(), null);
    }

    /** A context with a fresh command id and {@code metadata}. */
    public static CommandContext of(Metadata metadata) {
        return new CommandContext(null, Objects.requireNonNull(metadata, "metadata"), null);
    }

    /** A copy with the metadata replaced. */
    public CommandContext withMetadata(Metadata value) {
        return new CommandContext(commandId, value, idempotencyKey);
    }

    /** A copy with the idempotency key replaced. */
    public CommandContext withIdempotencyKey(String value) {
        return new CommandContext(commandId, metadata, value);
    }

    /** The metadata stored with the command's events: correlation and causation default to the command id. */
    public Metadata eventMetadata() {
        Metadata result = metadata;
        if (result.correlationId() == null) {
            result = result.withCorrelationId(commandId);
        }
        if (result.causationId() == null) {
            result = result.withCausationId(commandId);
        }
        return result;
    }
}
