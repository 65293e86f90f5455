package dev.eskit.command;

import dev.eskit.Decider;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A decider that decides and evolves as {@code plain} does and says what a generated decider would about its states:
 * proven immutable, or checked one by one with {@code check} (and copied with {@code copy}).
 */
final class SayingDecider<S, C, E> implements Decider<S, C, E> {
    private final Decider<S, C, E> plain;
    private final Predicate<S> check;
    private final UnaryOperator<S> copy;

    private SayingDecider(Decider<S, C, E> plain, Predicate<S> check, UnaryOperator<S> copy) {
        this.plain = plain;
        this.check = check;
        this.copy = copy;
    }

    /** {@code plain}, saying that its states are proven immutable (as {@link Decider#withImmutableStates()} does). */
    static <S, C, E> Decider<S, C, E> proven(Decider<S, C, E> plain) {
        return plain.withImmutableStates();
    }

    /** {@code plain}, checking its states with {@code check}; no state is copied. */
    static <S, C, E> Decider<S, C, E> checked(Decider<S, C, E> plain, Predicate<S> check) {
        return new SayingDecider<>(plain, check, null);
    }

    /** {@code plain}, checking its states with {@code check} and copying the others with {@code copy}. */
    static <S, C, E> Decider<S, C, E> copied(Decider<S, C, E> plain, Predicate<S> check, UnaryOperator<S> copy) {
        return new SayingDecider<>(plain, check, copy);
    }

    @Override
    public S initialState() {
        return plain.initialState();
    }

    @Override
    public List<E> decide(S state, C command) {
        return plain.decide(state, command);
    }

    @Override
    public S evolve(S state, E event) {
        return plain.evolve(state, event);
    }

    @Override
    public boolean checksStates() {
        return true;
    }

    @Override
    public boolean isImmutable(S state) {
        return check.test(state);
    }

    @Override
    public S copyState(S state) {
        return copy == null ? null : copy.apply(state);
    }
}
