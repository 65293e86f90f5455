package dev.eskit.codectests;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.StreamId;
import java.util.List;
import java.util.Map;

/** A decider whose state (a sealed type) and commands get generated codecs. */
@Decider(stream = "counter")
final class Counter {

    /** The commands. */
    sealed interface Command permits Add, Reset {
    }

    /** Adds. */
    record Add(@StreamId String id, int by) implements Command {
    }

    /** Resets. */
    record Reset(@StreamId String id) implements Command {
    }

    /** The events. */
    sealed interface Changed permits Added, Cleared {
    }

    /** Added. */
    @Event(name = "codec.Added")
    record Added(String id, int by) implements Changed {
    }

    /** Cleared. */
    @Event(name = "codec.Cleared")
    record Cleared(String id) implements Changed {
    }

    /** The state: none yet, or counting with a history. */
    sealed interface State permits Idle, Counting {
    }

    /** Nothing counted. */
    record Idle() implements State {
    }

    /** Counting. */
    record Counting(long total, Map<String, Integer> byId, Color mood) implements State {
    }

    @InitialState
    static State initial() {
        return new Idle();
    }

    @Decide
    static List<Changed> decide(State state, Add command) {
        return List.of(new Added(command.id(), command.by()));
    }

    @Decide
    static List<Changed> decide(State state, Reset command) {
        return List.of(new Cleared(command.id()));
    }

    @Evolve
    static State evolve(State state, Added event) {
        long total = state instanceof Counting c ? c.total() : 0;
        Map<String, Integer> byId = new java.util.TreeMap<>(state instanceof Counting c ? c.byId() : Map.of());
        byId.merge(event.id(), event.by(), Integer::sum);
        return new Counting(total + event.by(), byId, Color.GREEN);
    }

    @Evolve
    static State evolve(State state, Cleared event) {
        return new Idle();
    }
}
