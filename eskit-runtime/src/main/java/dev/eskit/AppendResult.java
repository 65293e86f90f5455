package dev.eskit;

import java.util.List;

/**
 * What an append stored.
 *
 * @param events     the stored events, in order
 * @param duplicate  {@code true} when the idempotency key had been seen: {@code events} are the ones the first append
 *                   stored, and nothing was written this time
 */
public record AppendResult(List<StoredEvent<Object>> events, boolean duplicate) {

    /** Copies the list. */
    public AppendResult {
        events = List.copyOf(events);
    }

    /** The stream version after the append (the version of its last event). */
    public long streamVersion() {
        return events.get(events.size() - 1).version();
    }

    /** The global position of the last event appended. */
    public Position lastPosition() {
        return events.get(events.size() - 1).position();
    }
}
