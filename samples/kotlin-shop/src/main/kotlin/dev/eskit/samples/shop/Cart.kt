package dev.eskit.samples.shop

import dev.eskit.annotations.Event
import dev.eskit.codec.EventTypes
import dev.eskit.command.CommandRoute
import dev.eskit.kotlin.decider
import dev.eskit.kotlin.projection

/** What a cart is asked to do. Every command names its cart, which is also its stream id. */
sealed interface CartCommand {
    val cartId: String
}

data class AddItem(override val cartId: String, val sku: String, val quantity: Int) : CartCommand
data class RemoveItem(override val cartId: String, val sku: String) : CartCommand
data class CheckOut(override val cartId: String) : CartCommand

/**
 * What happened to a cart. The events are `@Event` data classes: kapt runs the eskit processor on them, which lists
 * them (wire names "shop.ItemAdded", ...) in the generated `ShopEventTypes` registry and in the schema lock
 * (`src/main/resources/META-INF/eskit/schema.lock`); jackson-module-kotlin (from eskit-kotlin) lets the JSON codec
 * read them back from the SQLite store.
 */
sealed interface CartEvent

@Event
data class ItemAdded(val sku: String, val quantity: Int) : CartEvent

@Event
data class ItemRemoved(val sku: String) : CartEvent

@Event
data class CheckedOut(val items: Map<String, Int>) : CartEvent

/** A rejected cart command. */
class CartException(message: String) : RuntimeException(message)

/** A cart's state: what is in it, and whether it is checked out. */
data class CartState(val items: Map<String, Int> = emptyMap(), val checkedOut: Boolean = false)

/** The cart: pure decisions on the cart's state. */
val cart = decider<CartState, CartCommand, CartEvent>(initialState = CartState()) {
    decide<AddItem> { state, command ->
        if (state.checkedOut) throw CartException("cart ${command.cartId} is checked out")
        if (command.quantity <= 0) throw CartException("quantity must be positive, was ${command.quantity}")
        listOf(ItemAdded(command.sku, command.quantity))
    }
    decide<RemoveItem> { state, command ->
        if (state.checkedOut) throw CartException("cart ${command.cartId} is checked out")
        if (command.sku in state.items) listOf(ItemRemoved(command.sku)) else emptyList()
    }
    decide<CheckOut> { state, command ->
        when {
            state.checkedOut -> emptyList() // checking out twice changes nothing
            state.items.isEmpty() -> throw CartException("cart ${command.cartId} is empty")
            else -> listOf(CheckedOut(state.items))
        }
    }
    evolve<ItemAdded> { state, event ->
        state.copy(items = state.items + (event.sku to (state.items[event.sku] ?: 0) + event.quantity))
    }
    evolve<ItemRemoved> { state, event -> state.copy(items = state.items - event.sku) }
    evolve<CheckedOut> { state, _ -> state.copy(checkedOut = true) }
}

/** The cart's routes: every command goes to the "cart" stream named by its cart id. */
val cartRoutes: List<CommandRoute<CartState, CartCommand, CartEvent>> = listOf(
    CommandRoute.of(AddItem::class.java, "cart", AddItem::cartId, cart),
    CommandRoute.of(RemoveItem::class.java, "cart", RemoveItem::cartId, cart),
    CommandRoute.of(CheckOut::class.java, "cart", CheckOut::cartId, cart),
)

/**
 * The event types of the shop: the registries kapt generated (`ShopEventTypes`, listed in
 * `META-INF/services/dev.eskit.codec.EventTypeRegistry`), found on the class path.
 */
val shopEventTypes: EventTypes = EventTypes.discover()

/** Sales per SKU over every checked-out cart: the read model the shop's reports show. */
val sales = projection<Map<String, Int>, CartEvent>(initial = emptyMap()) {
    on<CheckedOut> { model, event ->
        event.items.entries.fold(model) { totals, (sku, quantity) -> totals + (sku to (totals[sku] ?: 0) + quantity) }
    }
}
