package dev.eskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.RetryPolicy;
import dev.eskit.samples.quickstart.Cart;
import dev.eskit.testing.DeciderSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/quickstart.md. Steps 1 and 2 (the records and the decider) are verbatim excerpts of
 * {@code samples/quickstart/.../Cart.java}, which this module depends on; steps 3 to 5 are copied here.
 */
class QuickstartGuideExamplesTest {

    @Test
    void stepsThreeAndFourRegisterTheTypesAndSendACommandWithItsContext() {
        // 3. Event types have wire names
        EventTypes types = EventTypes.builder()
                .add("cart.ItemAdded", Cart.ItemAdded.class)
                .add("cart.ItemRemoved", Cart.ItemRemoved.class)
                .add("cart.CheckedOut", Cart.CheckedOut.class)
                .build();
        EventStore store = EventStore.inMemory(types);

        // 4. Commands go through a bus
        CommandBus bus = CommandBus.builder(store)
                .register(CommandRoute.of(Cart.AddItem.class, "cart", Cart.AddItem::cartId, Cart.DECIDER))
                .register(CommandRoute.of(Cart.CheckOut.class, "cart", Cart.CheckOut::cartId, Cart.DECIDER))
                .retry(RetryPolicy.attempts(3))            // reload and decide again on a concurrent write
                .build();

        CommandContext request = CommandContext.of(Metadata.correlatedBy("checkout-request-1").withInitiator("alice"));
        bus.send(new Cart.AddItem("cart-1", "apple", 3), request);

        // "Every event the command appends carries the context's correlation id, causation id and initiator."
        List<StoredEvent<Object>> stored = store.load(StreamRef.of("cart", "cart-1"));
        assertEquals(1, stored.size());
        assertEquals(new Cart.ItemAdded("apple", 3), stored.get(0).data());
        assertEquals("cart.ItemAdded", stored.get(0).eventType());
        assertEquals("checkout-request-1", stored.get(0).metadata().correlationId());
        assertEquals("alice", stored.get(0).metadata().initiator());
        assertEquals(request.commandId(), stored.get(0).metadata().causationId());
    }

    @Test
    void stepFiveSpecsPassAndAFailingExpectationThrowsAnAssertionError() {
        DeciderSpec.of(Cart.DECIDER)
                .when(new Cart.CheckOut("c"))
                .thenError(Cart.CartException.class, "is empty");

        DeciderSpec.of(Cart.DECIDER)
                .given(new Cart.ItemAdded("apple", 1))
                .when(new Cart.RemoveItem("c", "pear"))
                .thenNoEvents();

        assertThrows(AssertionError.class, () -> DeciderSpec.of(Cart.DECIDER)
                .given(new Cart.ItemAdded("apple", 1))
                .when(new Cart.RemoveItem("c", "apple"))
                .thenNoEvents());
    }
}
