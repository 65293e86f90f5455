package bad;

import dev.eskit.annotations.*;
import java.util.List;

record State(int count) {
}

record Add(@Tag("list") String listId) {
}

@Event
record Added(@Tag("list") String listId) {
}

record NotAnEvent(String listId) {
}

@DcbDecider(query = @QueryItem(
        types = {Added.class, NotAnEvent.class}, tags = "list"))
final class DcbQueryInvalid {
    @InitialState static State initial() { return new State(0); }
    @Decide static Added add(State s, Add c) { return new Added(c.listId()); }
    @Evolve static State added(State s, Added e) { return new State(s.count() + 1); }
}
