package bad;

import dev.eskit.annotations.*;

record State(int count) {
}

record Add(@Tag("list") String listId) {
}

sealed interface ListEvent permits Added, Removed, Renamed {
}

@Event
record Added(@Tag("list") String listId) implements ListEvent {
}

@Event
record Removed(@Tag("list") String listId) implements ListEvent {
}

@Event
record Renamed(@Tag("list") String listId, String name) implements ListEvent {
}

@DcbDecider(
        query = @QueryItem(types = {Added.class, Removed.class, Renamed.class}, tags = "list"))
final class DcbEvolveMatched {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.listId()); }
    @Evolve static State added(State s, Added e) { return new State(s.count() + 1); }
    @Evolve static State removed(State s, Removed e) { return new State(s.count() - 1); }
}
