package dev.eskit.subscription;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps the dead letters of subscriptions: events whose handler failed for every attempt. Implementations are
 * thread-safe. Operations list them, replay them through the subscription ({@link Subscription#replayDeadLetter}) and
 * delete them.
 */
public interface DeadLetterStore {

    /** Stores {@code deadLetter}, replacing one with the same id. */
    void put(DeadLetter deadLetter);

    /** Up to {@code limit} dead letters of {@code subscription}, in log order (oldest event first). */
    List<DeadLetter> list(String subscription, int limit);

    /** The dead letter with {@code id}, if it exists. */
    Optional<DeadLetter> find(UUID id);

    /** How many dead letters {@code subscription} has. */
    long count(String subscription);

    /** Deletes the dead letter with {@code id}; returns whether it existed. */
    boolean delete(UUID id);

    /** Deletes every dead letter of {@code subscription} (a rebuild does this); returns how many there were. */
    int deleteAll(String subscription);

    /** A new, empty in-memory dead-letter store; its contents are lost when the JVM stops. */
    static DeadLetterStore inMemory() {
        return new InMemoryDeadLetterStore();
    }
}
