package dev.eskit.testing;

import dev.eskit.Decider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/**
 * A Given/When/Then fixture for a decider: given past events, when a command is decided, then expect events, an
 * error or a state. Generated {@code <Name>Spec} classes wrap it with the decider's own types.
 *
 * <pre>{@code
 * DeciderSpec.of(counter)
 *     .given(new Incremented(), new Incremented())
 *     .when(new Increment())
 *     .then(new Incremented())
 *     .thenState(3);
 * }</pre>
 *
 * @param <S> the state type
 * @param <C> the command type
 * @param <E> the event type
 */
public final class DeciderSpec<S, C, E> {

    private final Decider<S, C, E> decider;

    private DeciderSpec(Decider<S, C, E> decider) {
        this.decider = Objects.requireNonNull(decider, "decider");
    }

    /** A fixture for {@code decider}. */
    public static <S, C, E> DeciderSpec<S, C, E> of(Decider<S, C, E> decider) {
        return new DeciderSpec<>(decider);
    }

    /** Starts from these past events. */
    @SafeVarargs
    public final Given<S, C, E> given(E... events) {
        return new Given<>(decider, Arrays.asList(events));
    }

    /** Starts from these past events. */
    public Given<S, C, E> given(List<? extends E> events) {
        return new Given<>(decider, new ArrayList<>(events));
    }

    /** Decides {@code command} on a stream with no events. */
    public Outcome<S, C, E> when(C command) {
        return given(List.of()).when(command);
    }

    /**
     * The past events of a scenario.
     *
     * @param <S> the state type
     * @param <C> the command type
     * @param <E> the event type
     */
    public static final class Given<S, C, E> {
        private final Decider<S, C, E> decider;
        private final List<E> history;
        private final BiFunction<List<E>, C, List<E>> boundary;

        Given(Decider<S, C, E> decider, List<E> history) {
            this(decider, history, (all, command) -> all);
        }

        /** With {@code boundary} picking the events a decision of a command sees (DCB deciders see their query's). */
        Given(Decider<S, C, E> decider, List<E> history, BiFunction<List<E>, C, List<E>> boundary) {
            this.decider = decider;
            this.history = List.copyOf(history);
            this.boundary = boundary;
        }

        /** Decides {@code command} on the state folded from the given events. */
        public Outcome<S, C, E> when(C command) {
            Objects.requireNonNull(command, "command");
            S state = decider.fold(boundary.apply(history, command));
            try {
                List<E> events = decider.decide(state, command);
                if (events == null) {
                    throw new AssertionError("decide returned null for " + command + "; return an empty list");
                }
                return new Outcome<>(command, state, List.copyOf(events), null, decider.fold(state, events),
                        next -> new Given<>(decider, concat(history, events), boundary).when(next));
            } catch (RuntimeException error) {
                return new Outcome<>(command, state, List.of(), error, state,
                        next -> new Given<>(decider, history, boundary).when(next));
            }
        }

        /**
         * The state folded from all the given events, for assertions on {@code evolve} alone (a DCB decision folds
         * only those of its query: see {@link #stateFor(Object)}).
         */
        public S state() {
            return decider.fold(history);
        }

        /** The state a decision of {@code command} starts from: folded from the given events it sees. */
        public S stateFor(C command) {
            return decider.fold(boundary.apply(history, Objects.requireNonNull(command, "command")));
        }
    }

    static <E> List<E> concat(List<E> history, List<? extends E> more) {
        List<E> all = new ArrayList<>(history);
        all.addAll(more);
        return all;
    }

    /**
     * What a decision produced; every {@code then} method returns this outcome so checks can be chained, and
     * {@link #when(Object)} decides a next command on the history plus the events decided here.
     *
     * @param <S> the state type
     * @param <C> the command type
     * @param <E> the event type
     */
    public static final class Outcome<S, C, E> {
        private final C command;
        private final S before;
        private final List<E> events;
        private final RuntimeException error;
        private final S after;
        private final Function<C, Outcome<S, C, E>> next;

        Outcome(C command, S before, List<E> events, RuntimeException error, S after,
                Function<C, Outcome<S, C, E>> next) {
            this.command = command;
            this.before = before;
            this.events = events;
            this.error = error;
            this.after = after;
            this.next = next;
        }

        /**
         * Decides {@code command} next, on the given events followed by the events decided here (a rejected command
         * adds none), so a scenario reads {@code given(...).when(a).then(...).when(b).then(...)}.
         */
        public Outcome<S, C, E> when(C command) {
            Objects.requireNonNull(command, "command");
            return next.apply(command);
        }

        /** Expects exactly these events, in this order. */
        @SafeVarargs
        public final Outcome<S, C, E> then(E... expected) {
            return then(Arrays.asList(expected));
        }

        /** Expects exactly these events, in this order. */
        public Outcome<S, C, E> then(List<? extends E> expected) {
            failOnError("events " + expected);
            if (!events.equals(expected)) {
                throw failed("When " + command + "\n" + Diff.events(expected, events), expected, events, null);
            }
            return this;
        }

        /** Expects the command to be accepted without events. */
        public Outcome<S, C, E> thenNoEvents() {
            failOnError("no events");
            if (!events.isEmpty()) {
                throw failed("When " + command + "\n" + Diff.events(List.of(), events), List.of(), events, null);
            }
            return this;
        }

        /** Expects {@code decide} to throw an exception of {@code type} (or a subtype). */
        public Outcome<S, C, E> thenError(Class<? extends Throwable> type) {
            if (error == null) {
                throw failed("When " + command + "\nexpected " + type.getName()
                        + " to be thrown, but the command was accepted with\n" + Diff.list(events), type.getName(),
                        "accepted with " + events, null);
            }
            if (!type.isInstance(error)) {
                throw failed("When " + command + "\nexpected " + type.getName()
                        + " to be thrown, but " + error.getClass().getName() + " was: " + error.getMessage(),
                        type.getName(), error.getClass().getName(), error);
            }
            return this;
        }

        /** Expects {@code decide} to throw an exception of {@code type} whose message contains {@code message}. */
        public Outcome<S, C, E> thenError(Class<? extends Throwable> type, String message) {
            thenError(type);
            String actual = error.getMessage();
            if (actual == null || !actual.contains(message)) {
                throw failed("When " + command + "\nexpected the " + type.getSimpleName()
                        + " message to contain \"" + message + "\" but it was \"" + actual + "\"", message, actual,
                        null);
            }
            return this;
        }

        /** Expects the state after the new events to equal {@code expected}. */
        public Outcome<S, C, E> thenState(S expected) {
            failOnError("state " + expected);
            if (!Objects.equals(after, expected)) {
                throw failed("When " + command + "\nexpected state: " + expected
                        + "\n  actual state: " + after, expected, after, null);
            }
            return this;
        }

        /** Runs your own assertions on the state after the new events. */
        public Outcome<S, C, E> thenState(Consumer<? super S> assertions) {
            failOnError("a state");
            assertions.accept(after);
            return this;
        }

        /** The events decided (empty when the command failed). */
        public List<E> events() {
            return events;
        }

        /** The state before the command. */
        public S stateBefore() {
            return before;
        }

        /** The state after the new events. */
        public S state() {
            return after;
        }

            /**
         * An opentest4j {@link AssertionFailedError} (an {@link AssertionError}) carrying expected and actual values, so
         * that IDEs and build tools show a diff.
         */
        private static AssertionFailedError failed(String message, Object expected, Object actual, Throwable cause) {
            return new AssertionFailedError(message, expected, actual, cause);
        }

    private void failOnError(String expected) {
            if (error != null) {
                throw failed("When " + command + "\nexpected " + expected
                        + " but decide threw " + error.getClass().getName() + ": " + error.getMessage(), expected,
                        error.getClass().getName() + ": " + error.getMessage(), error);
            }
        }
    }
}
