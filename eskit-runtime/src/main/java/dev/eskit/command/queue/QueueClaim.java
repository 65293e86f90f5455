package dev.eskit.command.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's hold on a queued command: finishing it needs the token, so a worker whose lease ended cannot overwrite
 * what the command's next owner does.
 *
 * @param command the command as claimed
 * @param worker  the worker's name
 * @param token   the claim's random token
 * @param until   when the lease ends
 */
public record QueueClaim(QueuedCommand command, String worker, String token, Instant until) {

    /** Checks that nothing is missing. */
    public QueueClaim {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(until, "until");
    }
}
