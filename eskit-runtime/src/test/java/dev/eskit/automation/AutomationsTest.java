package dev.eskit.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.EventHandler;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutomationsTest {

    sealed interface OrderCommand {
    }

    record PlaceOrder(String orderId, String sku) implements OrderCommand {
    }

    record OrderPlaced(String orderId, String sku) {
    }

    sealed interface StockCommand {
    }

    record Reserve(String sku, String orderId) implements StockCommand {
    }

    record Reserved(String sku, String orderId) {
    }

    record Ship(String orderId) implements OrderCommand {
    }

    record Shipped(String orderId) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    final EventStore store = EventStore.inMemory(EventTypes.builder()
            .add("shop.OrderPlaced", OrderPlaced.class)
            .add("shop.Reserved", Reserved.class)
            .add("shop.Shipped", Shipped.class)
            .build());

    final Decider<Integer, OrderCommand, Object> orders = Decider.of(() -> 0, (state, command) ->
            command instanceof PlaceOrder p
                    ? List.of(new OrderPlaced(p.orderId(), p.sku()))
                    : List.of(new Shipped(((Ship) command).orderId())),
            (state, event) -> state + 1);

    final Decider<Integer, StockCommand, Object> stock = Decider.of(() -> 0,
            (state, command) -> List.of(new Reserved(((Reserve) command).sku(), ((Reserve) command).orderId())),
            (state, event) -> state + 1);

    final CommandBus bus = CommandBus.builder(store)
            .register(CommandRoute.of(PlaceOrder.class, "order", PlaceOrder::orderId, orders))
            .register(CommandRoute.of(Ship.class, "order", Ship::orderId, orders))
            .register(CommandRoute.of(Reserve.class, "stock", Reserve::sku, stock))
            .build();

    /** OrderPlaced -> Reserve (stock stream); Reserved -> Ship (order stream). */
    final Automation process = event -> {
        if (event.data() instanceof OrderPlaced placed) {
            return List.of(new Reserve(placed.sku(), placed.orderId()));
        }
        if (event.data() instanceof Reserved reserved) {
            return List.of(new Ship(reserved.orderId()));
        }
        return List.of();
    };

    @Test
    void chainOfCommandsCarriesTheCorrelationIdAndEachStepsCausingEventId() {
        try (Subscription s = Automations.subscription("fulfilment", store, CheckpointStore.inMemory(), bus, process)
                .eventTypes("shop.OrderPlaced", "shop.Reserved")
                .build()
                .start()) {
            bus.send(new PlaceOrder("o-1", "apple"), CommandContext.of(Metadata.correlatedBy("checkout-42")
                    .withInitiator("alice")));
            List<StoredEvent<Object>> log = awaitLog(3);
            StoredEvent<Object> placed = log.get(0);
            StoredEvent<Object> reserved = log.get(1);
            StoredEvent<Object> shipped = log.get(2);
            assertInstanceOf(OrderPlaced.class, placed.data());
            assertInstanceOf(Reserved.class, reserved.data());
            assertInstanceOf(Shipped.class, shipped.data());
            assertEquals(StreamRef.of("stock", "apple"), reserved.stream());
            for (StoredEvent<Object> event : log) {
                assertEquals("checkout-42", event.metadata().correlationId());
                assertEquals("alice", event.metadata().initiator());
            }
            assertEquals(placed.id().toString(), reserved.metadata().causationId());
            assertEquals(reserved.id().toString(), shipped.metadata().causationId());
            assertTrue(s.awaitPosition(shipped.position(), WAIT));
            assertEquals(List.of(), s.deadLetters());
        }
    }

    @Test
    void redeliveredEventDoesNotSendItsCommandsTwice() throws Exception {
        bus.send(new PlaceOrder("o-1", "apple"));
        StoredEvent<Object> placed = store.readAll(Position.START, 10).get(0);
        EventHandler handler = Automations.handler("reserve", bus, process);
        handler.handle(placed);
        handler.handle(placed);
        assertEquals(1, store.streamVersion(StreamRef.of("stock", "apple")));
    }

    @Test
    void eventWithoutCorrelationIdStartsTheChainWithItsOwnId() {
        store.append(StreamRef.of("order", "o-2"), dev.eskit.ExpectedVersion.any(),
                List.of(new OrderPlaced("o-2", "pear")));
        StoredEvent<Object> placed = store.readAll(Position.START, 10).get(0);
        CommandContext first = Automations.context("a", placed, 0);
        CommandContext second = Automations.context("a", placed, 1);
        assertEquals(placed.id().toString(), first.metadata().correlationId());
        assertEquals(placed.id().toString(), first.metadata().causationId());
        assertEquals(first, Automations.context("a", placed, 0));
        assertNotEquals(first.idempotencyKey(), second.idempotencyKey());
        assertNotEquals(first.idempotencyKey(), Automations.context("b", placed, 0).idempotencyKey());
    }

    @Test
    void automationReturningNullIsAnErrorThatNamesTheFix() {
        store.append(StreamRef.of("order", "o-3"), dev.eskit.ExpectedVersion.any(),
                List.of(new OrderPlaced("o-3", "fig")));
        StoredEvent<Object> placed = store.readAll(Position.START, 10).get(0);
        AutomationException e = assertThrows(AutomationException.class,
                () -> Automations.handler("nulls", bus, event -> null).handle(placed));
        assertTrue(e.getMessage().contains("Return an empty list"), e.getMessage());
    }

    private List<StoredEvent<Object>> awaitLog(int size) {
        // Follow the log with a second subscription rather than polling the store in a loop.
        java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(size);
        try (Subscription watcher = Subscription.builder("watcher", store, CheckpointStore.inMemory())
                .handler(e -> enough.countDown()).build().start()) {
            assertTrue(enough.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "chain incomplete");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return store.readAll(Position.START, 100);
    }
}
