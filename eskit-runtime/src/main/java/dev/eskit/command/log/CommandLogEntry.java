package dev.eskit.command.log;

import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One handled command, as the command log keeps it.
 *
 * @param commandId     the command's id (its {@link dev.eskit.command.CommandContext#commandId()})
 * @param commandType   its wire name ({@code "bank.Deposit"}), or its class name when it has no command type
 * @param stream        the stream it targeted
 * @param payload       the command as JSON, with {@code @PersonalData} fields encrypted under their subject's key
 * @param metadata      correlation, causation, initiator, originator and extras, as its events got them
 * @param outcome       how it ended
 * @param eventCount    how many events it appended (0 unless {@code ACCEPTED})
 * @param firstPosition the global position of its first event, or {@code null} when it appended none
 * @param lastPosition  the global position of its last event, or {@code null} when it appended none
 * @param streamVersion the stream's version after it (0 when unknown)
 * @param error         the exception class and message for {@code REJECTED} and {@code CONFLICT}, else {@code null}
 * @param startedAt     when handling began
 * @param duration      how long handling took
 */
public record CommandLogEntry(String commandId, String commandType, StreamRef stream, String payload,
                              Metadata metadata, CommandOutcome outcome, int eventCount, Position firstPosition,
                              Position lastPosition, long streamVersion, String error, Instant startedAt,
                              Duration duration) {

    /** The longest error text kept; longer messages are cut. */
    public static final int MAX_ERROR_LENGTH = 4000;

    /** Checks that nothing required is missing and cuts a long error. */
    public CommandLogEntry {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(payload, "payload");
        metadata = metadata == null ? Metadata.empty() : metadata;
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        if (eventCount < 0 || (eventCount > 0) != (firstPosition != null) || (firstPosition == null)
                != (lastPosition == null)) {
            throw new InvalidInputException("Command log entry " + commandId + " has " + eventCount + " events but"
                    + " positions " + firstPosition + ".." + lastPosition + ". Give both positions exactly when it"
                    + " appended events.");
        }
        if (error != null && error.length() > MAX_ERROR_LENGTH) {
            error = error.substring(0, MAX_ERROR_LENGTH - 3) + "...";
        }
    }
}
