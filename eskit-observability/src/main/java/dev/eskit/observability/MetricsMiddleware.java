package dev.eskit.observability;

import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Command middleware that records {@code eskit.command} (timer): command latency with tags {@code command} (the
 * command's simple class name), {@code stream.type} and {@code outcome} ({@code success}, {@code conflict},
 * {@code rejected}, {@code error}). Create it through {@link EskitObservability}.
 */
final class MetricsMiddleware implements CommandMiddleware {

    private final MeterRegistry registry;

    MetricsMiddleware(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CommandResult<?, ?> handle(CommandEnvelope command, Next next) {
        long start = System.nanoTime();
        Outcome outcome = Outcome.SUCCESS;
        try {
            return next.proceed(command);
        } catch (RuntimeException e) {
            outcome = Outcome.of(e);
            throw e;
        } finally {
            Timer.builder("eskit.command")
                    .description("Command latency and outcome")
                    .tag("command", command.command().getClass().getSimpleName())
                    .tag("stream.type", command.stream().type())
                    .tag("outcome", outcome.tag)
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
