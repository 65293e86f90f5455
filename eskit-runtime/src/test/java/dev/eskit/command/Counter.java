package dev.eskit.command;

import dev.eskit.Decider;
import dev.eskit.codec.EventTypes;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A small counter domain for the command tests: it can't go below zero. */
final class Counter {

    sealed interface Command permits Increment, Decrement, Noop {
    }

    record Increment(String id, int by) implements Command {
    }

    record Decrement(String id, int by) implements Command {
    }

    record Noop(String id) implements Command {
    }

    sealed interface Event permits Incremented, Decremented {
    }

    record Incremented(int by) implements Event {
    }

    record Decremented(int by) implements Event {
    }

    /** The domain's rejection. */
    static final class NotEnough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotEnough(int count, int by) {
            super("count " + count + " is less than " + by);
        }
    }

    static final EventTypes TYPES = EventTypes.builder()
            .add("counter.Incremented", Incremented.class)
            .add("counter.Decremented", Decremented.class)
            .build();

    /** How often {@link #decider()} deciders ran decide, across all of them. */
    final AtomicInteger decisions = new AtomicInteger();

    Decider<Integer, Command, Event> decider() {
        return Decider.of(() -> 0, (Integer count, Command command) -> {
            decisions.incrementAndGet();
            if (command instanceof Increment increment) {
                return List.<Event>of(new Incremented(increment.by()));
            }
            if (command instanceof Decrement decrement) {
                if (count < decrement.by()) {
                    throw new NotEnough(count, decrement.by());
                }
                return List.<Event>of(new Decremented(decrement.by()));
            }
            return List.<Event>of();
        }, (Integer count, Event event) -> event instanceof Incremented incremented
                ? count + incremented.by()
                : count - ((Decremented) event).by());
    }
}
