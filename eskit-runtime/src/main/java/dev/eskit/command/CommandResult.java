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

    /**
     * The new event objects of {@code type}, in order: a typed view for results of {@link CommandBus#send(Object)},
     * whose type parameters are wildcards because one bus serves many deciders.
     */
    public <T> List<T> eventData(Class<T> type) {
        List<T> data = new ArrayList<>(events.size());
        for (StoredEvent<E> event : events) {
            if (type.isInstance(event.data())) {
                data.add(type.cast(event.data()));
            }
        }
        return data;
    }

    /**
     * The state as a {@code type}, for results of {@link CommandBus#send(Object)}:
     * {@code bus.send(deposit).state(AccountState.class)}.
     *
     * @throws ClassCastException when the state is not a {@code type}
     */
    public <T> T state(Class<T> type) {
        return type.cast(state);
    }
}
