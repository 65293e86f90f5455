package dev.eskit.subscription;

import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.Limits;
import dev.eskit.StoredEvent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A subscription's dead letters: listing, replaying (through its {@link Delivery}) and deleting them. */
final class DeadLetterReplay {
    private final String name;
    private final EventStore store;
    private final DeadLetterStore deadLetters;
    private final Delivery delivery;
    private final Status status;
    private final Clock clock;

    DeadLetterReplay(String name, EventStore store, DeadLetterStore deadLetters, Delivery delivery, Status status,
                     Clock clock) {
        this.name = name;
        this.store = store;
        this.deadLetters = deadLetters;
        this.delivery = delivery;
        this.status = status;
        this.clock = clock;
    }

    List<DeadLetter> list(int limit) {
        return deadLetters.list(name, limit);
    }

    /** See {@link Subscription#replayDeadLetter(UUID)}. */
    boolean replay(UUID id) {
        DeadLetter letter = deadLetters.find(id).filter(l -> l.subscription().equals(name)).orElseThrow(() ->
                new SubscriptionException("Subscription \"" + name + "\" has no dead letter " + id
                        + ". List them with deadLetters()."));
        List<StoredEvent<Object>> loaded;
        try {
            loaded = store.load(letter.stream(), letter.version());
        } catch (EventDecodingException e) {
            // Still undecodable: keep it, with one more attempt.
            deadLetters.put(letter.failedAgain(e, clock.instant()));
            status.lastError(e);
            return false;
        }
        StoredEvent<Object> event = null;
        for (StoredEvent<Object> candidate : loaded) {
            if (candidate.id().equals(letter.eventId())) {
                event = candidate;
                break;
            }
        }
        if (event == null) {
            throw new SubscriptionException("Dead letter " + id + " refers to event " + letter.eventId() + " of "
                    + letter.stream() + " version " + letter.version() + ", which the store no longer has."
                    + " Delete the dead letter with deleteDeadLetter(id).");
        }
        try {
            delivery.replay(event);
        } catch (Exception e) {
            deadLetters.put(letter.failedAgain(e, clock.instant()));
            status.lastError(e);
            return false;
        }
        deadLetters.delete(id);
        return true;
    }

    /** See {@link Subscription#replayDeadLetters()}. */
    int replayAll() {
        int succeeded = 0;
        for (DeadLetter letter : deadLetters.list(name, Limits.MAX_READ_LIMIT)) {
            if (replay(letter.id())) {
                succeeded++;
            }
        }
        return succeeded;
    }

    /** See {@link Subscription#deleteDeadLetter(UUID)}. */
    boolean delete(UUID id) {
        Optional<DeadLetter> letter = deadLetters.find(id);
        return letter.isPresent() && letter.get().subscription().equals(name) && deadLetters.delete(id);
    }

    /** Deletes them all (a rebuild). */
    void deleteAll() {
        deadLetters.deleteAll(name);
    }
}
