package dev.eskit.dcb;

import dev.eskit.Decider;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A decider over a Dynamic Consistency Boundary: its state is folded from the events matching
 * {@link #query(Object) query(command)}, and its events are appended on condition that nothing matching that query
 * arrived after the events it was folded from. {@link DcbCommandHandler} runs it.
 *
 * <p>Annotated classes ({@code @DcbDecider}) get a generated implementation whose query the processor checks
 * against the events the decider evolves.
 *
 * @param <S> the state type
 * @param <C> the command type
 * @param <E> the event type
 */
public interface DcbDecider<S, C, E> extends Decider<S, C, E> {

    /** The boundary of {@code command}: the events its decision depends on. */
    Query query(C command);

    /**
     * The event type: events of the boundary that are not instances of it (a query may match more than the decider
     * knows) are not folded.
     */
    Class<E> eventType();

    /** A DCB decider from a decider, its event type and the query of each command. */
    static <S, C, E> DcbDecider<S, C, E> of(Decider<S, C, E> decider, Class<E> eventType,
                                           Function<? super C, Query> query) {
        Objects.requireNonNull(decider, "decider");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(query, "query");
        return new DcbDecider<>() {
            @Override
            public Query query(C command) {
                return Objects.requireNonNull(query.apply(command), "query returned null");
            }

            @Override
            public Class<E> eventType() {
                return eventType;
            }

            @Override
            public S initialState() {
                return decider.initialState();
            }

            @Override
            public List<E> decide(S state, C command) {
                return decider.decide(state, command);
            }

            @Override
            public S evolve(S state, E event) {
                return decider.evolve(state, event);
            }
        };
    }
}
