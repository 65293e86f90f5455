package dev.eskit.gdpr;

import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.DeadLetterStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** A dead-letter store that keeps no failure message for events with personal data (see PersonalDataProtector). */
final class RedactingDeadLetterStore implements DeadLetterStore {

    private final DeadLetterStore store;
    private final Predicate<String> personal;

    RedactingDeadLetterStore(DeadLetterStore store, Predicate<String> personal) {
        this.store = Objects.requireNonNull(store, "store");
        this.personal = personal;
    }

    @Override
    public void put(DeadLetter letter) {
        Objects.requireNonNull(letter, "deadLetter");
        store.put(personal.test(letter.eventType()) ? redacted(letter) : letter);
    }

    /** {@code letter} with the failure message replaced by the exception class and a note. */
    static DeadLetter redacted(DeadLetter letter) {
        String error = letter.error();
        int colon = error.indexOf(':');
        String kind = colon < 0 ? error : error.substring(0, colon);
        return new DeadLetter(letter.id(), letter.subscription(), letter.eventId(), letter.stream(),
                letter.version(), letter.eventType(), letter.position(), letter.attempts(), kind
                + " (message withheld: event type \"" + letter.eventType() + "\" carries personal data)",
                letter.firstFailedAt(), letter.lastFailedAt());
    }

    @Override
    public List<DeadLetter> list(String subscription, int limit) {
        return store.list(subscription, limit);
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        return store.find(id);
    }

    @Override
    public long count(String subscription) {
        return store.count(subscription);
    }

    @Override
    public boolean delete(UUID id) {
        return store.delete(id);
    }

    @Override
    public int deleteAll(String subscription) {
        return store.deleteAll(subscription);
    }
}
