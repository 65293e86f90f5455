package dev.eskit.command.log;

import dev.eskit.InvalidInputException;
import java.time.Instant;

/**
 * Which log entries to list: every filter is optional ({@code null}); entries come newest first.
 *
 * <pre>{@code
 * log.list(CommandLogQuery.latest(50).withOutcome(CommandOutcome.REJECTED).withType("bank.Withdraw"));
 * }</pre>
 *
 * @param commandType   only this wire name
 * @param outcome       only this outcome
 * @param from          only commands started at or after this instant
 * @param to            only commands started before this instant
 * @param correlationId only commands with this correlation id
 * @param limit         at most this many entries, 1 to 10,000
 */
public record CommandLogQuery(String commandType, CommandOutcome outcome, Instant from, Instant to,
                              String correlationId, int limit) {

    /** Checks the limit. */
    public CommandLogQuery {
        if (limit < 1 || limit > 10_000) {
            throw new InvalidInputException("Command log limit " + limit + " is out of range. Use 1 to 10000.");
        }
    }

    /** The newest {@code limit} entries, unfiltered. */
    public static CommandLogQuery latest(int limit) {
        return new CommandLogQuery(null, null, null, null, null, limit);
    }

    /** A copy with the type filter. */
    public CommandLogQuery withType(String value) {
        return new CommandLogQuery(value, outcome, from, to, correlationId, limit);
    }

    /** A copy with the outcome filter. */
    public CommandLogQuery withOutcome(CommandOutcome value) {
        return new CommandLogQuery(commandType, value, from, to, correlationId, limit);
    }

    /** A copy with the time window {@code [fromInclusive, toExclusive)}; either may be {@code null}. */
    public CommandLogQuery between(Instant fromInclusive, Instant toExclusive) {
        return new CommandLogQuery(commandType, outcome, fromInclusive, toExclusive, correlationId, limit);
    }

    /** A copy with the correlation filter. */
    public CommandLogQuery withCorrelationId(String value) {
        return new CommandLogQuery(commandType, outcome, from, to, value, limit);
    }

    /** Whether {@code entry} passes every filter. */
    public boolean matches(CommandLogEntry entry) {
        return (commandType == null || commandType.equals(entry.commandType()))
                && (outcome == null || outcome == entry.outcome())
                && (from == null || !entry.startedAt().isBefore(from))
                && (to == null || entry.startedAt().isBefore(to))
                && (correlationId == null || correlationId.equals(entry.metadata().correlationId()));
    }
}
