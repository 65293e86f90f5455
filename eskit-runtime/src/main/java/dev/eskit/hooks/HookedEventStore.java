package dev.eskit.hooks;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EskitException;
import dev.eskit.EventStore;
import dev.eskit.store.ForwardingEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventStore} decorator that runs {@link BeforeAppendHook}s and {@link AfterAppendHook}s around every
 * append of the store it wraps. Reads pass straight through. Works with every store (in-memory, SQLite, PostgreSQL).
 *
 * <pre>{@code
 * EventStore store = HookedEventStore.builder(JdbiEventStore.sqlite(url, types))
 *     .before(request -> quota.check(request))     // may throw AppendRejectedException
 *     .after((request, result) -> audit.record(result))
 *     .build();
 * }</pre>
 *
 * <p>Before-hooks run in the order added; the first that throws stops the append and nothing is written. After-hooks
 * run in the order added once the store returned; their exceptions are logged and contained.
 */
public final class HookedEventStore extends ForwardingEventStore {

    private static final Logger LOG = LoggerFactory.getLogger(HookedEventStore.class);

    private final List<BeforeAppendHook> before;
    private final List<AfterAppendHook> after;

    private HookedEventStore(Builder builder) {
        super(builder.delegate);
        this.before = List.copyOf(builder.before);
        this.after = List.copyOf(builder.after);
    }

    /** A builder for hooks around {@code delegate}. */
    public static Builder builder(EventStore delegate) {
        return new Builder(delegate);
    }

    /**
     * Runs the before-hooks, appends, then runs the after-hooks.
     *
     * @throws AppendRejectedException when a before-hook refuses the append or fails with a non-eskit exception
     *                                 (nothing is written); an {@link EskitException} a hook throws passes unchanged
     */
    @Override
    public AppendResult append(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        for (BeforeAppendHook hook : before) {
            try {
                hook.beforeAppend(request);
            } catch (EskitException rejected) {
                // AppendRejectedException, or another eskit exception the hook chose on purpose.
                throw rejected;
            } catch (RuntimeException e) {
                throw new AppendRejectedException("Before-append hook " + hook + " failed for the append to "
                        + request.stream() + " (" + e + "), so nothing was written. Fix the hook, or throw"
                        + " AppendRejectedException from it to refuse appends on purpose.", e);
            }
        }
        AppendResult result = delegate.append(request);
        for (AfterAppendHook hook : after) {
            try {
                hook.afterAppend(request, result);
            } catch (RuntimeException e) {
                // The events are stored; a failing observer must not make the caller think they are not.
                LOG.warn("After-append hook {} failed for the append to {} (the events are stored)", hook,
                        request.stream(), e);
            }
        }
        return result;
    }

    /** Closes the wrapped store. */
    /** Collects hooks. */
    public static final class Builder {
        private final EventStore delegate;
        private final List<BeforeAppendHook> before = new ArrayList<>();
        private final List<AfterAppendHook> after = new ArrayList<>();

        private Builder(EventStore delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** Adds a hook that runs before each append and may refuse it. */
        public Builder before(BeforeAppendHook hook) {
            before.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /** Adds a hook that runs after each stored append; its exceptions are logged and contained. */
        public Builder after(AfterAppendHook hook) {
            after.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /** The decorated store. */
        public HookedEventStore build() {
            return new HookedEventStore(this);
        }
    }
}
