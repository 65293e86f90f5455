package dev.eskit.command;

import dev.eskit.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a handled command.
 *
 * @param state   the stream's state after the new events
 * @param events  the events the command appended (empty when the decision produced none)
 * @param version the stream's version afterwards
 * @param <S>     the state type
 * @param <E>     the event type
 */
public record CommandResult<S, E>(S state, List<StoredEvent<E>> events, long version) {

    /** Copies the list. */
    public CommandResult {
        events = List.copyOf(events);
    }

    /** The new event objects, without their store fields. */
    public List<E> eventData() {
        List<E> data = new ArrayList<>(events.size());
        for (StoredEvent<E> event : events) {
            data.add(event.data());
        }
        return data;
    }
}
