package dev.eskit.command.queue;

import java.util.Objects;

/**
 * One outcome for {@link CommandQueueStore#finishAll}: the claim and what to record.
 *
 * @param claim  the worker's claim
 * @param result the final outcome
 */
public record QueueFinish(QueueClaim claim, QueueResult result) {

    /** Checks that nothing is missing. */
    public QueueFinish {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(result, "result");
    }
}
