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
 */
public record QueuedCommand(String id, String commandType, String payload, Metadata metadata, String partitionKey,
                            QueueStatus status, int attempts, Instant availableAt, String lastError, String result,
                            Instant enqueuedAt, Instant finishedAt) {

    /** Checks that nothing required is missing. */
    public QueuedCommand {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(commandType, "commandType");
        metadata = metadata == null ? Metadata.empty() : metadata;
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(availableAt, "availableAt");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    }

    /** A new pending command, available at once. */
    public static QueuedCommand pending(String id, String commandType, String payload, Metadata metadata,
                                        String partitionKey, Instant now) {
        return new QueuedCommand(id, commandType, Objects.requireNonNull(payload, "payload"), metadata, partitionKey,
                QueueStatus.PENDING, 0, now, null, null, now, null);
    }

    /** The outcome, once final. */
    public java.util.Optional<QueueResult> outcome() {
        return status.isFinal() ? java.util.Optional.of(QueueResult.decode(id, status, result, lastError))
                : java.util.Optional.empty();
    }
}
