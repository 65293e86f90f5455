package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.UnknownCommandException;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Decremented;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.command.Counter.Incremented;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandBusTest {

    record SwitchOn(String lampId) {
    }

    record SwitchedOn() {
    }

    record Unrouted(String id) {
    }

    private final Counter counter = new Counter();
    private final Decider<Integer, Command, Event> counterDecider = counter.decider();
    private final Decider<Boolean, SwitchOn, SwitchedOn> lamp = Decider.of(() -> false,
            (Boolean on, SwitchOn command) -> on ? List.<SwitchedOn>of() : List.of(new SwitchedOn()),
            (Boolean on, SwitchedOn event) -> true);
    private final EventStore store = EventStore.inMemory(EventTypes.builder()
            .addAll(Counter.TYPES)
            .add("lamp.SwitchedOn", SwitchedOn.class)
            .build());

    private List<CommandRoute<?, ?, ?>> routes() {
        return List.of(
                CommandRoute.of(Increment.class, "counter", Increment::id, counterDecider),
                CommandRoute.of(Decrement.class, "counter", Decrement::id, counterDecider),
                CommandRoute.of(SwitchOn.class, "lamp", SwitchOn::lampId, lamp));
    }

    private List<Object> data(StreamRef stream) {
        List<Object> data = new ArrayList<>();
        for (StoredEvent<Object> event : store.load(stream)) {
            data.add(event.data());
        }
        return data;
    }

    @Test
    void commandsAreRoutedByClassToTheirDeciderStreamTypeAndId() {
        CommandBus bus = CommandBus.builder(store).register(routes()).build();
        bus.send(new Increment("c-1", 4));
        bus.send(new Decrement("c-1", 1));
        bus.send(new Increment("c-2", 9));
        CommandResult<?, ?> lampResult = bus.send(new SwitchOn("hall"));
        assertEquals(List.of(new Incremented(4), new Decremented(1)), data(StreamRef.of("counter", "c-1")));
        assertEquals(List.of(new Incremented(9)), data(StreamRef.of("counter", "c-2")));
        assertEquals(List.of(new SwitchedOn()), data(StreamRef.of("lamp", "hall")));
        assertEquals(true, lampResult.state());
    }

    @Test
    void sendReturnsTheNewStateAndEvents() {
        CommandBus bus = CommandBus.builder(store).register(routes()).build();
        bus.send(new Increment("c-1", 4));
        CommandResult<?, ?> result = bus.send(new Increment("c-1", 3));
        assertEquals(7, result.state());
        assertEquals(2, result.version());
        assertEquals(List.of(new Incremented(3)), result.eventData());
    }

    @Test
    void anUnknownCommandIsRejectedNamingItsClass() {
        CommandBus bus = CommandBus.builder(store).register(routes()).build();
        UnknownCommandException error = assertThrows(UnknownCommandException.class,
                () -> bus.send(new Unrouted("x")));
        assertTrue(error.getMessage().contains(Unrouted.class.getName()), error.getMessage());
        assertTrue(store.readAll(dev.eskit.Position.START, 10).isEmpty());
    }

    @Test
    void twoRoutesForOneCommandClassAreRejected() {
        CommandBus.Builder builder = CommandBus.builder(store)
                .register(CommandRoute.of(Increment.class, "counter", Increment::id, counterDecider))
                .register(CommandRoute.of(Increment.class, "tally", Increment::id, counterDecider));
        InvalidInputException error = assertThrows(InvalidInputException.class, builder::build);
        assertTrue(error.getMessage().contains(Increment.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains("\"counter\"") && error.getMessage().contains("\"tally\""),
                error.getMessage());
    }

    @Test
    void commandTypesListsEveryRoutedClass() {
        CommandBus bus = CommandBus.builder(store).register(routes()).build();
        assertEquals(Set.of(Increment.class, Decrement.class, SwitchOn.class), bus.commandTypes());
    }

    @Test
    void theContextFlowsThroughTheBus() {
        CommandBus bus = CommandBus.builder(store).register(routes()).build();
        bus.send(new SwitchOn("hall"), new CommandContext("cmd-7", dev.eskit.Metadata.empty(), null));
        assertEquals("cmd-7", store.load(StreamRef.of("lamp", "hall")).get(0).metadata().correlationId());
    }

    @Test
    void busMiddlewareAndRetryApplyToEveryRoute() {
        List<String> seen = new ArrayList<>();
        InterferingStore interfering = new InterferingStore(store, 1);
        CommandBus bus = CommandBus.builder(interfering)
                .register(routes())
                .retry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO))
                .middleware((command, next) -> {
                    seen.add(command.stream().toString());
                    return next.proceed(command);
                })
                .build();
        CommandResult<?, ?> result = bus.send(new Increment("c-1", 1));
        assertEquals(101, result.state());
        bus.send(new SwitchOn("hall"));
        assertEquals(List.of("counter/c-1", "lamp/hall"), seen);
    }
}
