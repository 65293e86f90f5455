package dev.eskit.command;

/**
 * Code that runs around every command: logging, authorization, metrics, extra metadata. Middleware runs once per
 * command, outside any retries, in the order it was added (the first added is the outermost).
 *
 * <pre>{@code
 * CommandMiddleware initiator = (command, next) ->
 *     next.proceed(command.withContext(command.context().withMetadata(
 *         command.context().metadata().withInitiator(currentUser()))));
 * }</pre>
 */
@FunctionalInterface
public interface CommandMiddleware {

    /** Handles {@code command}, usually by calling {@code next.proceed(command)} once. */
    CommandResult<?, ?> handle(CommandEnvelope command, Next next);

    /** The rest of the chain. */
    @FunctionalInterface
    interface Next {
        /** Passes the command on. */
        CommandResult<?, ?> proceed(CommandEnvelope command);
    }
}
