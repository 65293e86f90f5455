package bad;

import dev.eskit.annotations.*;

record State(long count) {
}

record Add(@StreamId String id) {
}

sealed interface Evt permits Added, Removed {
}

@Event
record Added(String id) implements Evt {
}

record Removed(String id) implements Evt {
}

@Decider(stream = "counter")
final class EventAnnotationMissing {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.id()); }
    @Evolve static State added(State s, Added e) { return s; }
    @Evolve static State removed(State s, Removed e) { return s; }
}
