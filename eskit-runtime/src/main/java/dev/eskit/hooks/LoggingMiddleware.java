package dev.eskit.hooks;

import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command middleware that logs every command through SLF4J (logger {@code dev.eskit.command}): DEBUG when it starts
 * and succeeds (with the number of events and the new version), INFO when the decider rejects it, WARN for a
 * concurrency conflict that was not retried away. Each line carries the command class, the stream, the command id and
 * the correlation id. Costs one {@code isDebugEnabled()} check per command when DEBUG is off.
 *
 * <pre>{@code
 * CommandBus bus = CommandBus.builder(store).middleware(LoggingMiddleware.create()).register(routes).build();
 * }</pre>
 */
public final class LoggingMiddleware implements CommandMiddleware {

    private final Logger log;

    private LoggingMiddleware(Logger log) {
        this.log = log;
    }

    /** Middleware that logs to {@code dev.eskit.command}. */
    public static LoggingMiddleware create() {
        return new LoggingMiddleware(LoggerFactory.getLogger("dev.eskit.command"));
    }

    /** Middleware that logs to {@code logger}. */
    public static LoggingMiddleware to(Logger logger) {
        return new LoggingMiddleware(java.util.Objects.requireNonNull(logger, "logger"));
    }

    @Override
    public CommandResult<?, ?> handle(CommandEnvelope command, Next next) {
        String name = command.command().getClass().getSimpleName();
        String correlation = command.context().eventMetadata().correlationId();
        if (log.isDebugEnabled()) {
            log.debug("Command {} on {} started (command id {}, correlation id {})", name, command.stream(),
                    command.context().commandId(), correlation);
        }
        try {
            CommandResult<?, ?> result = next.proceed(command);
            if (log.isDebugEnabled()) {
                log.debug("Command {} on {} appended {} event(s), stream version {} (command id {}, correlation id"
                        + " {})", name, command.stream(), result.events().size(), result.version(),
                        command.context().commandId(), correlation);
            }
            return result;
        } catch (dev.eskit.ConcurrencyException e) {
            log.warn("Command {} on {} lost a concurrency conflict (command id {}, correlation id {}): {}", name,
                    command.stream(), command.context().commandId(), correlation, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            log.info("Command {} on {} failed (command id {}, correlation id {}): {}", name, command.stream(),
                    command.context().commandId(), correlation, e.toString());
            throw e;
        }
    }
}
