package dev.eskit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.automation.Automation;
import dev.eskit.codec.EventTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutomationSpecTest {

    record OrderPlaced(String order, String sku, int quantity) {
    }

    record OrderCancelled(String order) {
    }

    record ReserveStock(String sku, int quantity) {
    }

    record Notify(String text) {
    }

    private static final EventTypes TYPES = EventTypes.builder()
            .add("orders.OrderPlaced", OrderPlaced.class)
            .add("orders.OrderCancelled", OrderCancelled.class)
            .build();

    private static final Automation RESERVE = event -> {
        if (event.data() instanceof OrderPlaced placed) {
            if (placed.quantity() <= 0) {
                throw new IllegalStateException("bad quantity");
            }
            return List.of(new ReserveStock(placed.sku(), placed.quantity()),
                    new Notify(event.eventType() + " v" + event.version()));
        }
        return List.of();
    };

    private final AutomationSpec spec = AutomationSpec.of(RESERVE, TYPES);

    @Test
    void givenEventsThenTheCommandsSentInOrder() {
        spec.given(new OrderPlaced("o1", "apple", 2), new OrderCancelled("o1"), new OrderPlaced("o2", "plum", 1))
                .then(new ReserveStock("apple", 2), new Notify("orders.OrderPlaced v1"),
                        new ReserveStock("plum", 1), new Notify("orders.OrderPlaced v3"));
        spec.given(new OrderCancelled("o1")).thenNoCommands();
    }

    @Test
    void otherCommandsFailWithADiff() {
        org.opentest4j.AssertionFailedError error = assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> spec.given(new OrderPlaced("o1", "apple", 2)).then(new ReserveStock("apple", 3)));
        assertEquals(List.of(new ReserveStock("apple", 3)), error.getExpected().getValue());
        assertEquals(spec.given(new OrderPlaced("o1", "apple", 2)).commands(), error.getActual().getValue());
        assertTrue(error.getMessage().contains("command(s)"), error.getMessage());
        assertEquals(2, spec.given(new OrderPlaced("o1", "apple", 2)).commands().size());
    }

    @Test
    void aFailingReactionIsAnErrorToExpect() {
        spec.given(new OrderPlaced("o1", "apple", 0)).thenError(IllegalStateException.class);
        assertThrows(AssertionError.class, () -> spec.given(new OrderPlaced("o1", "apple", 0)).thenNoCommands());
    }
}
