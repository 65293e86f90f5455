package dev.eskit.testing;

import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.codec.EventTypes;
import dev.eskit.projection.ProjectionHandler;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/**
 * A Given/Then fixture for a projection: given events (wrapped as a store would store them), then the read model's
 * state or the answers of its queries. Generated {@code <Name>Spec} classes of {@code @Projection}s wrap it.
 *
 * <pre>{@code
 * BalancesSpec.of(new Balances())
 *     .given(new Deposited("a-1", 500), new Withdrawn("a-1", 200, "rent"))
 *     .thenQuery(balances -> balances.balanceOf("a-1"), 300L);
 * }</pre>
 *
 * <p>Events go through the projection's {@link ProjectionHandler} like in a subscription, so the test covers the
 * dispatch as well; events of types it does not handle are skipped, as a subscription's filter would. Each given
 * event gets the wire name and schema version of its registered type, the next version of its stream (by default
 * {@code given/1}; see {@link #given(StreamRef, List)}) and the next global position.
 *
 * @param <P> the projection (read model) type
 */
public final class ProjectionSpec<P> {

    private final P projection;
    private final ProjectionHandler handler;
    private final StoredEvents stored;

    private ProjectionSpec(P projection, ProjectionHandler handler, EventTypes registry) {
        this.projection = projection;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.stored = new StoredEvents(registry);
    }

    /** A fixture for {@code projection} run by {@code handler}, with the event types on the class path. */
    public static <P> ProjectionSpec<P> of(P projection, ProjectionHandler handler) {
        return new ProjectionSpec<>(projection, handler, StoredEvents.discover(handler));
    }

    /** A fixture for {@code projection} run by {@code handler}, with the event types of {@code registry}. */
    public static <P> ProjectionSpec<P> of(P projection, ProjectionHandler handler, EventTypeRegistry registry) {
        return new ProjectionSpec<>(projection, handler, StoredEvents.of(registry));
    }

    /** Applies these events, in order, on stream {@code given/1}. */
    public Then<P> given(Object... events) {
        return given(Arrays.asList(events));
    }

    /** Applies these events, in order, on stream {@code given/1}. */
    public Then<P> given(List<?> events) {
        return given(StoredEvents.DEFAULT_STREAM, events);
    }

    /** Applies these events, in order, as events of {@code stream}. */
    public Then<P> given(StreamRef stream, List<?> events) {
        Objects.requireNonNull(stream, "stream");
        RuntimeException error = null;
        for (Object event : events) {
            var next = stored.next(stream, event);
            if (!handler.eventTypes().isEmpty() && !handler.eventTypes().contains(next.eventType())) {
                continue;
            }
            try {
                handler.handle(next);
            } catch (RuntimeException failure) {
                error = failure;
                break;
            }
        }
        return new Then<>(this, error);
    }

    /**
     * The read model after the given events; each check returns it, so checks chain, and {@link #given(Object...)}
     * applies more events.
     *
     * @param <P> the projection type
     */
    public static final class Then<P> {
        private final ProjectionSpec<P> spec;
        private final RuntimeException error;

        Then(ProjectionSpec<P> spec, RuntimeException error) {
            this.spec = spec;
            this.error = error;
        }

        /** Applies more events after those so far. */
        public Then<P> given(Object... events) {
            failOnError();
            return spec.given(events);
        }

        /** Runs your own assertions on the read model. */
        public Then<P> then(Consumer<? super P> assertions) {
            failOnError();
            assertions.accept(spec.projection);
            return this;
        }

        /** Expects {@code query} on the read model to answer {@code expected}. */
        public <T> Then<P> thenQuery(Function<? super P, ? extends T> query, T expected) {
            failOnError();
            T actual = query.apply(spec.projection);
            if (!Objects.equals(expected, actual)) {
                throw new AssertionFailedError("After the given events\nexpected the query to answer: " + expected
                        + "\n                 but it was: " + actual, expected, actual);
            }
            return this;
        }

        /** Expects a handler to have thrown an exception of {@code type} (or a subtype) on a given event. */
        public Then<P> thenError(Class<? extends Throwable> type) {
            if (error == null) {
                throw new AssertionError("expected " + type.getName() + " to be thrown, but every given event was"
                        + " handled");
            }
            if (!type.isInstance(error)) {
                AssertionError failure = new AssertionError("expected " + type.getName() + " to be thrown, but "
                        + error.getClass().getName() + " was: " + error.getMessage());
                failure.initCause(error);
                throw failure;
            }
            return this;
        }

        /** The read model, for assertions of your own. */
        public P projection() {
            failOnError();
            return spec.projection;
        }

        private void failOnError() {
            if (error != null) {
                AssertionError failure = new AssertionError("A handler threw " + error.getClass().getName() + ": "
                        + error.getMessage());
                failure.initCause(error);
                throw failure;
            }
        }
    }
}
