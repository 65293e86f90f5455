package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

record State(long count) {
}

record Add(String accountId) {
}

@Event
record Added(String id) {
}

@Decider(stream = "counter")
final class StreamIdMissing {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add command) { return new Added(command.accountId()); }
    @Evolve static State added(State s, Added e) { return s; }
}
