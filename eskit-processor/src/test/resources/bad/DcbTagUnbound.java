package bad;

import dev.eskit.annotations.*;

record State(int count) {
}

record Add(String listId) {
}

@Event
record Added(@Tag("list") String listId) {
}

@DcbDecider(query = @QueryItem(types = Added.class, tags = "list"))
final class DcbTagUnbound {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.listId()); }
    @Evolve static State added(State s, Added e) { return new State(s.count() + 1); }
}
