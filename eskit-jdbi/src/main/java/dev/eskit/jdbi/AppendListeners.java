package dev.eskit.jdbi;

import dev.eskit.subscription.AppendNotifier;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners a store calls after each commit that wrote events (append, DCB append, import). */
final class AppendListeners {

    private static final Logger LOG = LoggerFactory.getLogger(AppendListeners.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    AppendNotifier.Registration add(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable entry = listener::run;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /** Calls every listener; one that fails is logged and does not stop the others. */
    void committed() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // The events are committed; a failed wake-up hint only delays a subscriber until its next poll.
                LOG.warn("An append listener failed; subscribers catch up at their next poll", e);
            }
        }
    }
}
