package dev.eskit.command;

import dev.eskit.StreamRef;
import java.util.Objects;

/**
 * A command on its way to a decider, as middleware sees it.
 *
 * @param stream  the stream it targets
 * @param command the command object
 * @param context its metadata and idempotency key
 */
public record CommandEnvelope(StreamRef stream, Object command, CommandContext context) {

    /** Checks that nothing is missing. */
    public CommandEnvelope {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
    }

    /** A copy with the context replaced, for middleware that adds metadata. */
    public CommandEnvelope withContext(CommandContext value) {
        return new CommandEnvelope(stream, command, value);
    }
}
