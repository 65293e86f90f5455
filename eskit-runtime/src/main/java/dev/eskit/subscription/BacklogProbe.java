package dev.eskit.subscription;

import dev.eskit.Position;
import java.time.Instant;
import java.util.Set;

/**
 * A store that measures a subscription's backlog itself, counting every committed event after a position, including
 * events that are committed but not yet readable because an older append transaction is still open (PostgreSQL's
 * read horizon). {@link Subscription#lag()} uses it when the store (or the store a decorator forwards to) is one;
 * otherwise it reads the waiting events.
 */
@FunctionalInterface
public interface BacklogProbe {

    /**
     * The backlog after {@code after}.
     *
     * @param after      the subscription's position
     * @param eventTypes the wire names it reads; empty for every type
     * @param cap        how many events to count at most
     * @param now        the current time, for ages
     */
    SubscriptionLag backlog(Position after, Set<String> eventTypes, int cap, Instant now);
}
