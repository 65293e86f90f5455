package dev.eskit.hooks;

import dev.eskit.Decider;
import dev.eskit.codec.EventTypes;
import java.util.List;

/** A tiny domain for the hook tests: add to a tally. */
final class Tally {

    record Add(String id, int amount) {
    }

    record Added(int amount) {
    }

    static final EventTypes TYPES = EventTypes.builder().add("tally.Added", Added.class).build();

    static Decider<Integer, Add, Added> decider() {
        return Decider.of(() -> 0, (Integer total, Add add) -> List.of(new Added(add.amount())),
                (Integer total, Added added) -> total + added.amount());
    }

    private Tally() {
    }
}
