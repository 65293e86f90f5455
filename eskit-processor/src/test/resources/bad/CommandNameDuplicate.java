package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;


record State(long count) {
}

sealed interface Cmd permits Add {
}

record Add(@StreamId String id) implements Cmd {
}

sealed interface Evt permits Added {
}

@Event(name = "bad.Add")
record Added(String id) implements Evt {
}

@Decider(stream = "counter")
final class CommandNameDuplicate {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.id()); }
    @Evolve static State added(State s, Added e) { return s; }
}
