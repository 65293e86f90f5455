package dev.eskit.samples.carts;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.samples.carts.CartCommand.AddItem;
import dev.eskit.samples.carts.CartCommand.CheckOut;
import dev.eskit.samples.carts.CartEvent.CheckedOut;
import dev.eskit.samples.carts.CartEvent.ItemAdded;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The cart decider. */
@Decider(stream = "cart")
final class Cart {

    @InitialState
    static CartState initial() {
        return new CartState.Open(Map.of(), BigDecimal.ZERO);
    }

    @Decide
    static ItemAdded decide(CartState state, AddItem command) {
        if (state instanceof CartState.Paid) {
            throw new IllegalStateException("Cart " + command.cartId() + " is paid; start a new cart.");
        }
        return new ItemAdded(command.cartId(), command.sku(), command.quantity(), command.unitPrice(), "EUR");
    }

    @Decide
    static CheckedOut decide(CartState state, CheckOut command) {
        if (!(state instanceof CartState.Open open) || open.items().isEmpty()) {
            throw new IllegalStateException("Cart " + command.cartId() + " is empty or paid already.");
        }
        return new CheckedOut(command.cartId(), command.customerId(), command.email(), command.at(), open.total());
    }

    @Evolve
    static CartState evolve(CartState state, ItemAdded event) {
        CartState.Open open = (CartState.Open) state;
        Map<String, Integer> items = new TreeMap<>(open.items());
        items.merge(event.sku(), event.quantity(), Integer::sum);
        return new CartState.Open(items,
                open.total().add(event.unitPrice().multiply(BigDecimal.valueOf(event.quantity()))));
    }

    @Evolve
    static CartState evolve(CartState state, CheckedOut event) {
        return new CartState.Paid(event.at(), event.total());
    }
}
