package dev.eskit.observability;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.store.ForwardingEventStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * An {@link EventStore} decorator that wraps every append in an OpenTelemetry span {@code eskit.append} (a child of
 * the current span, such as a command's), with the stream, the number of events and the correlation and causation ids
 * as attributes (see {@link TraceAttributes}). Create it through {@link EskitObservability}.
 */
final class TracingEventStore extends ForwardingEventStore {

    private final Tracer tracer;

    TracingEventStore(EventStore delegate, Tracer tracer) {
        super(delegate);
        this.tracer = tracer;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        Span span = tracer.spanBuilder("eskit.append").setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TraceAttributes.STREAM_TYPE, request.stream().type())
                .setAttribute(TraceAttributes.STREAM_ID, request.stream().id())
                .setAttribute(TraceAttributes.EVENT_COUNT, (long) request.events().size())
                .startSpan();
        TraceAttributes.metadata(span, request.metadata());
        try (Scope ignored = span.makeCurrent()) {
            AppendResult result = delegate.append(request);
            span.setAttribute(TraceAttributes.STREAM_VERSION, result.streamVersion());
            span.setAttribute(TraceAttributes.DUPLICATE, result.duplicate());
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
