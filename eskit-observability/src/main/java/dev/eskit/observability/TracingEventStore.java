package dev.eskit.observability;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.store.HeadAppender;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link EventStore} decorator that wraps every append in an OpenTelemetry span {@code eskit.append} (a child of
 * the current span, such as a command's), with the stream, the number of events and the correlation and causation ids
 * as attributes (see {@link TraceAttributes}). Create it through {@link EskitObservability}. Where the store is a
 * {@link HeadAppender}, so is the decorator: an append at a known last event is an {@code eskit.append} span too, with
 * {@link TraceAttributes#HEAD_MISSED}.
 */
final class TracingEventStore extends ForwardingEventStore implements HeadAppender {

    private final Tracer tracer;

    TracingEventStore(EventStore delegate, Tracer tracer) {
        super(delegate);
        this.tracer = tracer;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        Span span = start(request);
        try (Scope ignored = span.makeCurrent()) {
            AppendResult result = delegate.append(request);
            stored(span, result);
            return result;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public boolean appendsAtHead() {
        return delegate instanceof HeadAppender heads && heads.appendsAtHead();
    }

    @Override
    public Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId) {
        if (!(delegate instanceof HeadAppender heads)) {
            return Optional.empty();
        }
        Span span = start(request);
        try (Scope ignored = span.makeCurrent()) {
            Optional<AppendResult> result = heads.appendAtHead(request, headEventId);
            span.setAttribute(TraceAttributes.HEAD_MISSED, result.isEmpty());
            result.ifPresent(stored -> stored(span, stored));
            return result;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private Span start(AppendRequest request) {
        Span span = tracer.spanBuilder("eskit.append").setSpanKind(SpanKind.INTERNAL)
                .setAttribute(TraceAttributes.STREAM_TYPE, request.stream().type())
                .setAttribute(TraceAttributes.STREAM_ID, request.stream().id())
                .setAttribute(TraceAttributes.EVENT_COUNT, (long) request.events().size())
                .startSpan();
        TraceAttributes.metadata(span, request.metadata());
        return span;
    }

    private static void stored(Span span, AppendResult result) {
        span.setAttribute(TraceAttributes.STREAM_VERSION, result.streamVersion());
        span.setAttribute(TraceAttributes.DUPLICATE, result.duplicate());
    }
}
