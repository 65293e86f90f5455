package dev.eskit.samples.quickstart;

import dev.eskit.Decider;
import java.util.ArrayList;
import java.util.List;

/** A shopping cart as a decider built from three lambdas, with its commands, events and state. */
public final class Cart {
    private Cart() {
    }

    /** Commands a cart accepts. */
    public sealed interface Command permits AddItem, RemoveItem, CheckOut {
    }

    /** Adds {@code quantity} of {@code sku}. */
    public record AddItem(String cartId, String sku, int quantity) implements Command {
    }

    /** Removes every unit of {@code sku}. */
    public record RemoveItem(String cartId, String sku) implements Command {
    }

    /** Closes the cart. */
    public record CheckOut(String cartId) implements Command {
    }

    /** Events a cart emits. */
    public sealed interface Event permits ItemAdded, ItemRemoved, CheckedOut {
    }

    /** {@code quantity} of {@code sku} was added. */
    public record ItemAdded(String sku, int quantity) implements Event {
    }

    /** Every unit of {@code sku} was removed. */
    public record ItemRemoved(String sku) implements Event {
    }

    /** The cart was checked out. */
    public record CheckedOut(int totalItems) implements Event {
    }

    /** The state a cart decides on. */
    public record State(List<ItemAdded> lines, boolean checkedOut) {
        /** Units in the cart. */
        public int totalItems() {
            return lines.stream().mapToInt(ItemAdded::quantity).sum();
        }
    }

    /** A rejected command. */
    public static final class CartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CartException(String message) {
            super(message);
        }
    }

    /** The cart's decision model. */
    public static final Decider<State, Command, Event> DECIDER = Decider.of(
            () -> new State(List.of(), false),
            Cart::decide,
            Cart::evolve);

    static List<Event> decide(State state, Command command) {
        if (state.checkedOut()) {
            throw new CartException("The cart is checked out; start a new cart.");
        }
        if (command instanceof AddItem add) {
            if (add.quantity() <= 0) {
                throw new CartException("Quantity must be positive, got " + add.quantity() + ".");
            }
            return List.of(new ItemAdded(add.sku(), add.quantity()));
        }
        if (command instanceof RemoveItem remove) {
            boolean present = state.lines().stream().anyMatch(line -> line.sku().equals(remove.sku()));
            return present ? List.of(new ItemRemoved(remove.sku())) : List.of();
        }
        CheckOut checkOut = (CheckOut) command;
        if (state.totalItems() == 0) {
            throw new CartException("Cart " + checkOut.cartId() + " is empty and cannot be checked out.");
        }
        return List.of(new CheckedOut(state.totalItems()));
    }

    static State evolve(State state, Event event) {
        if (event instanceof ItemAdded added) {
            List<ItemAdded> lines = new ArrayList<>(state.lines());
            lines.add(added);
            return new State(List.copyOf(lines), false);
        }
        if (event instanceof ItemRemoved removed) {
            return new State(state.lines().stream().filter(line -> !line.sku().equals(removed.sku())).toList(),
                    false);
        }
        return new State(state.lines(), true);
    }
}
