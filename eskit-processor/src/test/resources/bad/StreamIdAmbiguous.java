package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

record State(long count) {
}

record Add(@StreamId String accountId, @StreamId String otherId) {
}

@Event
record Added(String id) {
}

@Decider(stream = "counter")
final class StreamIdAmbiguous {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add command) { return new Added(command.accountId()); }
    @Evolve static State added(State s, Added e) { return s; }
}
