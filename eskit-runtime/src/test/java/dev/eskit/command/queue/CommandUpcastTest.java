package dev.eskit.command.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandDecodingException;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.CommandUpcaster;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A command queued by an older release, with an older shape, runs after the upgrade through its upcasters. */
class CommandUpcastTest {

    /** Version 3: v1 was {@code (counter, amount)}, v2 renamed amount to {@code by}, v3 added {@code note}. */
    record Add(String counter, int by, String note) {
    }

    record Added(int by, String note) {
    }

    static final CommandUpcaster RENAME_AMOUNT = json -> {
        json.set("by", json.remove("amount"));
        return json;
    };
    static final CommandUpcaster ADD_NOTE = json -> json.put("note", "(none)");

    static final CommandTypes TYPES = CommandTypes.of(new CommandType<>("test.Add", Add.class, 3, null,
            List.of(RENAME_AMOUNT, ADD_NOTE)));

    static final Decider<Integer, Add, Added> DECIDER = Decider.of(() -> 0,
            (Integer count, Add c) -> List.of(new Added(c.by(), c.note())), (Integer count, Added e) -> count + e.by());

    private final EventStore store = EventStore.inMemory(EventTypes.builder().add("test.Added", Added.class).build());
    private final CommandQueueStore queueStore = CommandQueueStore.inMemory();
    private final CommandQueue queue = CommandQueue.builder(queueStore, CommandBus.builder(store)
            .register(CommandRoute.of(Add.class, "counter", Add::counter, DECIDER)).build(), TYPES).build();

    private String stored(String id, int version, String json) {
        queueStore.enqueue(QueuedCommand.pending(id, "test.Add", version, json, null, null, Instant.now()));
        return id;
    }

    @Test
    void olderVersionsRunThroughEachLaterUpcasterAndTheCurrentOneThroughNone() throws Exception {
        String v1 = stored("v1", 1, "{\"counter\":\"c\",\"amount\":2}");
        String v2 = stored("v2", 2, "{\"counter\":\"c\",\"by\":3}");
        String current = queue.enqueue(new Add("c", 4, "hi"));
        assertEquals(3, queue.find(current).orElseThrow().commandVersion(), "enqueued with the current version");
        assertEquals(3, queue.runOnce());

        for (String id : List.of(v1, v2, current)) {
            assertTrue(queue.await(id).get(1, TimeUnit.SECONDS).succeeded(), id);
        }
        List<Object> events = store.load(StreamRef.of("counter", "c")).stream().map(e -> e.data()).toList();
        assertEquals(List.of(new Added(2, "(none)"), new Added(3, "(none)"), new Added(4, "hi")), events);
    }

    @Test
    void aNewerVersionOrAVersionWithoutUpcastersIsDeadWithTheFix() {
        stored("future", 4, "{\"counter\":\"c\",\"by\":1,\"note\":\"x\"}");
        queue.runOnce();
        QueuedCommand future = queue.find("future").orElseThrow();
        assertEquals(QueueStatus.DEAD, future.status());
        assertTrue(future.lastError().contains("was stored with version 4, but this code knows version 3"),
                future.lastError());

        CommandTypes noChain = CommandTypes.of(new CommandType<>("test.Add", Add.class, 2, null));
        CommandDecodingException e = assertThrows(CommandDecodingException.class, () -> noChain.decode("test.Add", 1,
                "{}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("has no upcasters. Add @CommandUpcast methods for versions 1 to 1"),
                e.getMessage());
        assertEquals(0, store.streamVersion(StreamRef.of("counter", "c")));
    }

    @Test
    void aFailingUpcasterNamesTheVersionsAndAChainOfTheWrongLengthIsRefused() {
        CommandTypes broken = CommandTypes.of(new CommandType<>("test.Add", Add.class, 2, null,
                List.of((ObjectNode json) -> null)));
        CommandDecodingException e = assertThrows(CommandDecodingException.class, () -> broken.decode("test.Add", 1,
                "{\"counter\":\"c\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("(version 1) cannot be upcast to version 2: the upcaster from version 1"
                + " returned null"), e.getMessage());
        InvalidInputException wrong = assertThrows(InvalidInputException.class, () -> new CommandType<>("test.Add",
                Add.class, 3, null, List.of(ADD_NOTE)));
        assertTrue(wrong.getMessage().contains("is at version 3 with 1 upcasters"), wrong.getMessage());
    }
}
