package dev.eskit.dcb;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a command run by {@link DcbCommandHandler}.
 *
 * @param state    the boundary's state after the new events
 * @param events   the events the command appended (empty when the decision produced none)
 * @param read     the position of the last boundary event the decision was folded from, or {@code null} for none
 * @param attempts how many times the command was decided (1 without conflicts)
 * @param <S>      the state type
 */
public record DcbCommandResult<S>(S state, List<StoredEvent<Object>> events, Position read, int attempts) {

    /** Copies the list. */
    public DcbCommandResult {
        events = List.copyOf(events);
    }

    /** The new event objects, without their store fields (DCB appends are untyped: a boundary spans types). */
    public List<Object> eventData() {
        return eventData(Object.class);
    }

    /** The new event objects of {@code type}, in order: {@code result.eventData(CourseEvent.class)}. */
    public <T> List<T> eventData(Class<T> type) {
        List<T> data = new ArrayList<>(events.size());
        for (StoredEvent<Object> event : events) {
            if (type.isInstance(event.data())) {
                data.add(type.cast(event.data()));
            }
        }
        return data;
    }
}
