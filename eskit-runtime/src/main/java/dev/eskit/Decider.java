package dev.eskit;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A pure decision model: the state of one consistency boundary, the commands it accepts and the events it emits.
 *
 * <p>{@code decide} turns a command into events given the current state and must not have side effects;
 * {@code evolve} applies one event to a state. The state of a stream is {@code fold(initialState(), events)}.
 *
 * <pre>{@code
 * Decider<Integer, CounterCommand, CounterEvent> counter = Decider.of(
 *     () -> 0,
 *     (count, cmd) -> List.of(new Incremented()),
 *     (count, event) -> count + 1);
 * }</pre>
 *
 * <p>Annotated deciders ({@code @Decider}) get a generated implementation whose dispatch is plain generated code.
 *
 * @param <S> the state type
 * @param <C> the command type (usually a sealed interface of records)
 * @param <E> the event type (usually a sealed interface of records)
 */
public interface Decider<S, C, E> {

    /** The state of a stream that has no events yet. */
    S initialState();

    /**
     * Decides which events a command causes in the given state.
     *
     * @return the events to append, possibly empty; never {@code null}
     * @throws RuntimeException a domain exception when the command is rejected
     */
    List<E> decide(S state, C command);

    /** Returns the state after {@code event} has been applied to {@code state}. */
    S evolve(S state, E event);

    /**
     * Whether every state of this decider is a deeply immutable value, so that a command handler may keep states
     * in memory and hand them to later commands as they are. A command handler then caches recently used streams'
     * states by default (see {@code CommandHandler.Builder.cacheStates}); otherwise only when asked to.
     *
     * <p>Generated deciders ({@code @Decider}) return {@code true} when the annotation processor proves it from the
     * state type: a record, enum or final class whose fields are all final and, recursively, of such types, of
     * primitives, {@code String}, boxed primitives, {@code BigDecimal}, {@code BigInteger}, {@code UUID},
     * {@code java.time} values or {@code Optional}s of them, or a sealed type whose every subtype is one. A
     * collection, an array or an interface that is not sealed is not proven, whatever its contents. A hand-written
     * decider may override this to return {@code true} if its states are such values; one built with {@link #of}
     * says so with {@link #withImmutableStates()}.
     *
     * @return {@code false} unless overridden
     */
    default boolean immutableStates() {
        return false;
    }

    /**
     * Whether {@link #isImmutable(Object)} tells this decider's immutable states from the others at run time, so that
     * a command handler may cache the states it finds immutable by default, and only those. Generated deciders
     * ({@code @Decider}) return {@code true} when the state type holds {@code List}s, {@code Set}s or {@code Map}s
     * (of proven immutable elements) in records, Kotlin data classes or sealed types of them, and otherwise is
     * proven as for {@link #immutableStates()}: a state whose collections were built with {@code List.of},
     * {@code List.copyOf}, {@code Stream.toList()} and the like is immutable, one holding an {@code ArrayList} is not
     * (see {@link ImmutableValues}) and is cached as a copy ({@link #copyState}).
     *
     * @return {@code false} unless overridden
     */
    default boolean checksStates() {
        return false;
    }

    /**
     * Whether {@code state} is a deeply immutable value; asked of each state before it is cached when
     * {@link #checksStates()} turned the cache on. Must not change {@code state}.
     *
     * @return {@link #immutableStates()} unless overridden
     */
    default boolean isImmutable(S state) {
        return immutableStates();
    }

    /**
     * A copy of {@code state} that shares nothing changeable with it, or {@code null} when it cannot be copied; asked
     * of the states {@link #isImmutable(Object)} rejects when {@link #checksStates()} turned the cache on. A handler
     * caches such a state as a private copy and hands each later command a copy of that, so that an {@code evolve}
     * that changes its state in place and returns it is as correct with the cache as without. Generated deciders
     * copy the records on the way to the state's collections and the collections {@link ImmutableValues#copy}
     * copies ({@code ArrayList}, {@code HashMap} and the like), and return {@code null} when one is of another
     * class. Must not change {@code state}.
     *
     * @return {@code null} unless overridden
     */
    default S copyState(S state) {
        return null;
    }

    /**
     * This decider, promising that its states are deeply immutable values: every state it returns, and neither
     * {@code decide} nor {@code evolve} changes a state in place. A command handler then caches recently used streams'
     * states by default, as it does for a generated decider whose state type the annotation processor proves
     * immutable (see {@link #immutableStates()}). Nothing checks the promise: a state changed in place while cached
     * would be handed to later commands as changed. Use it for a decider built with {@link #of} over states such as
     * records of {@code String}s, numbers and {@code List.of(...)} lists; where in doubt, leave it out, or let
     * {@code @Decider} check the state type.
     *
     * <pre>{@code
     * Decider<Cart, Command, Event> decider =
     *         Decider.of(Cart::empty, Cart::decide, Cart::evolve).withImmutableStates();
     * }</pre>
     *
     * @return this decider when {@link #immutableStates()} is {@code true} already, else a decider that delegates its
     *         functions to this one and whose {@link #immutableStates()} is {@code true}
     */
    default Decider<S, C, E> withImmutableStates() {
        if (immutableStates()) {
            return this;
        }
        Decider<S, C, E> decider = this;
        return new Decider<>() {
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

            @Override
            public boolean immutableStates() {
                return true;
            }

            @Override
            public String toString() {
                return decider + " with immutable states";
            }
        };
    }

    /** Applies {@code events} in order, starting from {@code state}. */
    default S fold(S state, Iterable<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }

    /** Applies {@code events} in order, starting from {@link #initialState()}. */
    default S fold(Iterable<? extends E> events) {
        return fold(initialState(), events);
    }

    /** Builds a decider from three functions. */
    static <S, C, E> Decider<S, C, E> of(
            Supplier<? extends S> initialState,
            BiFunction<? super S, ? super C, ? extends List<? extends E>> decide,
            BiFunction<? super S, ? super E, ? extends S> evolve) {
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(decide, "decide");
        Objects.requireNonNull(evolve, "evolve");
        return new Decider<>() {
            @Override
            public S initialState() {
                return initialState.get();
            }

            @Override
            public List<E> decide(S state, C command) {
                List<? extends E> events = decide.apply(state, command);
                if (events == null) {
                    throw new IllegalStateException("decide returned null for " + command.getClass().getName()
                            + "; return an empty list when a command causes no events");
                }
                return List.copyOf(events);
            }

            @Override
            public S evolve(S state, E event) {
                return evolve.apply(state, event);
            }
        };
    }
}
