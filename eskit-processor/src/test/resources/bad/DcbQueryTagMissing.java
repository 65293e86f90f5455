package bad;

import dev.eskit.annotations.*;

record State(int count) {
}

record Add(@Tag("list") String listId) {
}

sealed interface ListEvent permits Added, Cleared {
}

@Event
record Added(@Tag("list") String listId) implements ListEvent {
}

@Event
record Cleared(String listId) implements ListEvent {
}

@DcbDecider(query = @QueryItem(tags = "list", types = {Added.class,
        Cleared.class}))
final class DcbQueryTagMissing {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.listId()); }
    @Evolve static State added(State s, Added e) { return new State(s.count() + 1); }
    @Evolve static State cleared(State s, Cleared e) { return new State(0); }
}
