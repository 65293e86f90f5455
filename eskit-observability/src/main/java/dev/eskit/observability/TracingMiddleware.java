package dev.eskit.observability;

import dev.eskit.Metadata;
import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * Command middleware that runs every command inside an OpenTelemetry span {@code eskit.command <SimpleName>} with the
 * command, stream, command id, correlation id and causation id as attributes. The span is current while the command
 * runs, so a traced store's {@code eskit.append} span becomes its child. Create it through {@link EskitObservability}.
 */
final class TracingMiddleware implements CommandMiddleware {

    private final Tracer tracer;

    TracingMiddleware(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public CommandResult<?, ?> handle(CommandEnvelope command, Next next) {
        String name = command.command().getClass().getSimpleName();
        Metadata metadata = command.context().eventMetadata();
        Span span = tracer.spanBuilder("eskit.command " + name).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TraceAttributes.COMMAND, command.command().getClass().getName())
                .setAttribute(TraceAttributes.COMMAND_ID, command.context().commandId())
                .setAttribute(TraceAttributes.STREAM_TYPE, command.stream().type())
                .setAttribute(TraceAttributes.STREAM_ID, command.stream().id())
                .startSpan();
        TraceAttributes.metadata(span, metadata);
        try (Scope ignored = span.makeCurrent()) {
            CommandResult<?, ?> result = next.proceed(command);
            span.setAttribute(TraceAttributes.EVENT_COUNT, (long) result.events().size());
            span.setAttribute(TraceAttributes.STREAM_VERSION, result.version());
            return result;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
