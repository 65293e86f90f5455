package dev.eskit.testing;

import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.DcbDecider;
import dev.eskit.dcb.Query;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Given/When/Then fixture for a {@link DcbDecider}: the decision sees exactly the given events a store would hand
 * it, those that match {@link DcbDecider#query(Object) query(command)} by wire name and tags, in the order given.
 * Generated {@code <Name>Spec} classes of {@code @DcbDecider}s wrap it with the decider's own types.
 *
 * <pre>{@code
 * DcbDeciderSpec.of(new ConfirmSignUpDecider(), OptinEventTypes.of())
 *     .given(new SignUpInitiated("a@example.com", "111"))
 *     .when(new ConfirmSignUp("a@example.com", "222"))   // another token: the initiation is not in its boundary
 *     .thenError(RejectedException.class);
 * }</pre>
 *
 * @param <S> the state type
 * @param <C> the command type
 * @param <E> the event type
 */
public final class DcbDeciderSpec<S, C, E> {

    private final DcbDecider<S, C, E> decider;
    private final EventTypes registry;

    private DcbDeciderSpec(DcbDecider<S, C, E> decider, EventTypes registry) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * A fixture for {@code decider} whose events' wire names and tags come from the registries on the decider's class
     * path ({@link EventTypes#discover(ClassLoader)}), as a store built on them would see.
     */
    public static <S, C, E> DcbDeciderSpec<S, C, E> of(DcbDecider<S, C, E> decider) {
        ClassLoader loader = decider.getClass().getClassLoader();
        return new DcbDeciderSpec<>(decider, EventTypes.discover(loader == null
                ? ClassLoader.getSystemClassLoader() : loader));
    }

    /** A fixture for {@code decider} whose events' wire names and tags come from {@code registry}. */
    public static <S, C, E> DcbDeciderSpec<S, C, E> of(DcbDecider<S, C, E> decider, EventTypeRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new DcbDeciderSpec<>(decider, registry instanceof EventTypes types ? types : EventTypes.of(registry));
    }

    /** Starts from these past events (of any boundary: each decision sees those its query matches). */
    @SafeVarargs
    public final DeciderSpec.Given<S, C, E> given(E... events) {
        return given(Arrays.asList(events));
    }

    /** Starts from these past events (of any boundary: each decision sees those its query matches). */
    public DeciderSpec.Given<S, C, E> given(List<? extends E> events) {
        List<E> history = new ArrayList<>(events);
        history.forEach(e -> Objects.requireNonNull(e, "a given event is null"));
        return new DeciderSpec.Given<>(decider, history, this::boundary);
    }

    /** Decides {@code command} with no past events. */
    public DeciderSpec.Outcome<S, C, E> when(C command) {
        return given(List.of()).when(command);
    }

    /** The events of {@code history} a store would hand the decider for {@code command}, in order. */
    private List<E> boundary(List<E> history, C command) {
        Query query = decider.query(command);
        List<E> matching = new ArrayList<>();
        for (E event : history) {
            EventType<?> type = registry.findByClass(event.getClass());
            if (type == null) {
                throw new AssertionError("Given event " + event + " is of " + event.getClass().getName()
                        + ", which is not a registered event type, so no store could hold it. Annotate it with"
                        + " @Event and compile with the eskit processor (or pass a registry that has it to"
                        + " DcbDeciderSpec.of).");
            }
            if (query.matches(type.name(), type.tagsOf(event)) && decider.eventType().isInstance(event)) {
                matching.add(event);
            }
        }
        return matching;
    }
}
