package dev.eskit.jdbi;

import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import java.util.List;

/** Event records for the store tests. */
final class TestEvents {
    private TestEvents() {
    }

    record Deposited(String account, long cents) {
    }

    record Withdrawn(String account, long cents) {
    }

    /** One event of a writer's batch: who wrote it, which batch, its index and the batch size. */
    record Marked(String writer, long batch, int index, int of, String nonce) {
    }

    record Named(String name, List<String> tags) {
    }

    /** Not registered on purpose. */
    record Unregistered(String value) {
    }

    static final EventTypes TYPES = EventTypes.builder()
            .add("test.Deposited", Deposited.class)
            .add("test.Withdrawn", Withdrawn.class)
            .add("test.Marked", Marked.class)
            .add("test.Named", Named.class)
            .build();

    static EventCodec codec() {
        return JsonEventCodec.create(TYPES);
    }
}
