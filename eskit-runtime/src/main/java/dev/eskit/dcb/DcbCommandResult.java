package dev.eskit.dcb;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
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
}
