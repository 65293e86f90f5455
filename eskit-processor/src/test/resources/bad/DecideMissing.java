package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

record State(long count) {
}

sealed interface Cmd permits Add, Remove {
}

record Add(@StreamId String id) implements Cmd {
}

record Remove(@StreamId String id) implements Cmd {
}

@Event
record Added(String id) {
}

@Decider(stream = "counter")
final class DecideMissing {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.id()); }
    static Added remove(State s, Remove c) { return new Added(c.id()); }
    @Evolve static State added(State s, Added e) { return s; }
}
