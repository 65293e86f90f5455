package dev.eskit.samples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.testing.DeciderSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    void scenarioChecksOutThePearsAndRejectsLaterChanges() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (EventStore store = EventStore.inMemory(QuickStart.eventTypes())) {
            Cart.State state = QuickStart.run(store, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            assertEquals(2, state.totalItems());
            assertTrue(state.checkedOut());
            List<StoredEvent<Object>> log = store.readAll(Position.START, 100);
            assertEquals(List.of("cart.ItemAdded", "cart.ItemAdded", "cart.ItemRemoved", "cart.CheckedOut"),
                    log.stream().map(StoredEvent::eventType).toList());
            assertTrue(log.stream().allMatch(e -> "checkout-request-1".equals(e.metadata().correlationId())));
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("rejected: The cart is checked out"), printed);
        assertTrue(printed.contains("checked out 2 item(s)"), printed);
    }

    @Test
    void emptyCartCannotBeCheckedOut() {
        DeciderSpec.of(Cart.DECIDER)
                .when(new Cart.CheckOut("c"))
                .thenError(Cart.CartException.class, "is empty");
    }

    @Test
    void removingAnAbsentItemChangesNothing() {
        DeciderSpec.of(Cart.DECIDER)
                .given(new Cart.ItemAdded("apple", 1))
                .when(new Cart.RemoveItem("c", "pear"))
                .thenNoEvents()
                .thenState(s -> assertEquals(1, s.totalItems()));
    }
}
