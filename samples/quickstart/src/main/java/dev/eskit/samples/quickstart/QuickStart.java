package dev.eskit.samples.quickstart;

import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Retry;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandResult;
import dev.eskit.command.CommandRoute;
import java.io.PrintStream;
import java.util.List;

/**
 * The quick start: register event types, put a decider behind a command bus, send commands, read the log back.
 * Run it with {@code mvn -q -pl samples/quickstart -am compile exec:java}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** The event types of the cart, registered by hand (the annotation processor generates this for you). */
    public static EventTypes eventTypes() {
        return EventTypes.builder()
                .add("cart.ItemAdded", Cart.ItemAdded.class)
                .add("cart.ItemRemoved", Cart.ItemRemoved.class)
                .add("cart.CheckedOut", Cart.CheckedOut.class)
                .build();
    }

    /** A bus that routes the cart's commands to the cart stream named by each command's cart id. */
    public static CommandBus bus(EventStore store) {
        return CommandBus.builder(store)
                .register(CommandRoute.of(Cart.AddItem.class, "cart", Cart.AddItem::cartId, Cart.DECIDER))
                .register(CommandRoute.of(Cart.RemoveItem.class, "cart", Cart.RemoveItem::cartId, Cart.DECIDER))
                .register(CommandRoute.of(Cart.CheckOut.class, "cart", Cart.CheckOut::cartId, Cart.DECIDER))
                .retry(Retry.attempts(3))
                .build();
    }

    /** Runs the scenario and prints what happened to {@code out}; returns the checked-out cart's state. */
    public static Cart.State run(EventStore store, PrintStream out) {
        CommandBus bus = bus(store);
        CommandContext request = CommandContext.of(Metadata.correlatedBy("checkout-request-1").withInitiator("alice"));
        bus.send(new Cart.AddItem("cart-1", "apple", 3), request);
        bus.send(new Cart.AddItem("cart-1", "pear", 2), request);
        bus.send(new Cart.RemoveItem("cart-1", "apple"), request);
        CommandResult<?, ?> result = bus.send(new Cart.CheckOut("cart-1"), request);
        try {
            bus.send(new Cart.AddItem("cart-1", "plum", 1), request);
        } catch (Cart.CartException rejected) {
            out.println("rejected: " + rejected.getMessage());
        }
        List<StoredEvent<Object>> history = store.load(StreamRef.of("cart", "cart-1"));
        out.println("stream cart/cart-1 has " + history.size() + " events:");
        for (StoredEvent<Object> event : history) {
            out.printf("  v%d %-16s %s (correlation %s, initiator %s)%n", event.version(), event.eventType(),
                    event.data(), event.metadata().correlationId(), event.metadata().initiator());
        }
        Cart.State state = (Cart.State) result.state();
        out.println("checked out " + state.totalItems() + " item(s)");
        return state;
    }

    /** Entry point. */
    public static void main(String[] args) {
        try (EventStore store = EventStore.inMemory(eventTypes())) {
            run(store, System.out);
        }
    }
}
