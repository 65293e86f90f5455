package bad;

import dev.eskit.annotations.*;

record State(long count) {
}

record Deposit(@StreamId String id) {
}

@Event
record Deposited(String id) {
}

@Decider(stream = "account")
final class Account {
    @InitialState static State initial() { return new State(0); }
    @Decide static Deposited deposit(State s, Deposit c) { return new Deposited(c.id()); }
    @Evolve static State deposited(State s, Deposited e) { return s; }
}

@Projection
final class HandleCommand {
    @Handle void on(Deposit command) { }
}
