package dev.eskit.command.queue;

import dev.eskit.Metadata;
import java.time.Instant;
import java.util.Objects;

/**
 * A command in the durable queue, as stored.
 *
 * @param id           the command id: also its idempotency key and its command log id
 * @param commandType  its wire name
 * @param payload      its JSON ({@code null} once it succeeded or was rejected: the queue is not an archive)
 * @param metadata     the metadata its events get
 * @param partitionKey commands with one partition key run one at a time in enqueue order; {@code null} for none
 * @param status       where it is
 * @param attempts     how often a worker claimed it
 * @param availableAt  when it may be claimed (for {@code CLAIMED}: when the lease ends)
 * @param lastError    the error of the last failed attempt, or of the rejection; {@code null} when none
 * @param result       what the outcome recorded ({@link QueueResult#encode()}); {@code null} until final
 * @param enqueuedAt   when it was enqueued
 * @param finishedAt   when it became final, or {@code null}
 * @param commandVersion the schema version of the command type it was stored with (older ones are upcast on read)
 */
public record QueuedCommand(String id, String commandType, String payload, Metadata metadata, String partitionKey,
                            QueueStatus status, int attempts, Instant availableAt, String lastError, String result,
                            Instant enqueuedAt, Instant finishedAt, int commandVersion) {

    /** Checks that nothing required is missing. */
    public QueuedCommand {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(commandType, "commandType");
        metadata = metadata == null ? Metadata.empty() : metadata;
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(availableAt, "availableAt");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        if (commandVersion < 1) {
            throw new dev.eskit.InvalidInputException("Queued command " + id + " has command version "
                    + commandVersion + ". Versions start at 1.");
        }
    }

    /** A command stored with version 1 of its command type. */
    public QueuedCommand(String id, String commandType, String payload, Metadata metadata, String partitionKey,
                         QueueStatus status, int attempts, Instant availableAt, String lastError, String result,
                         Instant enqueuedAt, Instant finishedAt) {
        this(id, commandType, payload, metadata, partitionKey, status, attempts, availableAt, lastError, result,
                enqueuedAt, finishedAt, 1);
    }

    /** A new pending command of version 1 of its type, available at once. */
    public static QueuedCommand pending(String id, String commandType, String payload, Metadata metadata,
                                        String partitionKey, Instant now) {
        return pending(id, commandType, 1, payload, metadata, partitionKey, now);
    }

    /** A new pending command stored with version {@code commandVersion} of its type, available at once. */
    public static QueuedCommand pending(String id, String commandType, int commandVersion, String payload,
                                        Metadata metadata, String partitionKey, Instant now) {
        return new QueuedCommand(id, commandType, Objects.requireNonNull(payload, "payload"), metadata, partitionKey,
                QueueStatus.PENDING, 0, now, null, null, now, null, commandVersion);
    }

    /** The outcome, once final. */
    public java.util.Optional<QueueResult> outcome() {
        return status.isFinal() ? java.util.Optional.of(QueueResult.decode(id, status, result, lastError))
                : java.util.Optional.empty();
    }
}
