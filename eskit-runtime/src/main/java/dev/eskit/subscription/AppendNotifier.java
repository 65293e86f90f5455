package dev.eskit.subscription;

/**
 * Tells listeners, in the same JVM, that events were appended, so that subscriptions wake at once instead of waiting
 * for their next poll. A store implements it when it can; a subscription on a store without it polls.
 *
 * <p>A notification is only a hint: it carries no events, several appends may be coalesced into one call, and a
 * listener must not rely on being called for every append. Listeners run on the appending thread after the append
 * is visible to readers, so they must be quick and must not throw (a subscription's listener only unparks a thread).
 *
 * <pre>{@code
 * try (AppendNotifier.Registration r = notifier.onAppend(() -> LockSupport.unpark(worker))) { ... }
 * }</pre>
 */
@FunctionalInterface
public interface AppendNotifier {

    /**
     * Calls {@code listener} after every append that wrote events, until the returned registration is closed.
     *
     * @param listener a quick, non-throwing callback
     * @return closes the registration; closing twice is harmless
     */
    Registration onAppend(Runnable listener);

    /** A listener's registration; {@link #close()} stops the calls. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        /** Stops calling the listener. Never throws. */
        @Override
        void close();
    }
}
