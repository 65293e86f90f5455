package dev.eskit.kotlin

import dev.eskit.Decider
import dev.eskit.EventStore
import dev.eskit.ImmutableValues
import dev.eskit.UnknownCommandException
import dev.eskit.codec.EventTypes
import dev.eskit.command.CommandHandler
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotSame
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class CombineTest {

    sealed interface ShopCommand
    sealed interface ShopEvent

    sealed interface CartCommand : ShopCommand
    data class AddItem(val sku: String) : CartCommand
    sealed interface CartEvent : ShopEvent
    data class ItemAdded(val sku: String) : CartEvent

    sealed interface StockCommand : ShopCommand
    data class Restock(val sku: String, val count: Int) : StockCommand
    sealed interface StockEvent : ShopEvent
    data class Restocked(val sku: String, val count: Int) : StockEvent

    data object Unrelated : ShopCommand
    data object Stray : ShopEvent

    private val cart = decider<List<String>, CartCommand, CartEvent>(initialState = emptyList()) {
        decide<AddItem> { _, c -> listOf(ItemAdded(c.sku)) }
        evolve<ItemAdded> { items, e -> items + e.sku }
    }

    private val stock = decider<Map<String, Int>, StockCommand, StockEvent>(initialState = emptyMap()) {
        decide<Restock> { _, c -> listOf(Restocked(c.sku, c.count)) }
        evolve<Restocked> { counts, e -> counts + (e.sku to (counts[e.sku] ?: 0) + e.count) }
    }

    @Test
    fun combinedDeciderRoutesEachCommandAndEventToItsOwnDecider() {
        val shop: Decider<Pair<List<String>, Map<String, Int>>, ShopCommand, ShopEvent> = cart combine stock
        assertEquals(Pair(emptyList<String>(), emptyMap<String, Int>()), shop.initialState())
        val state = shop.fold(listOf(ItemAdded("a"), Restocked("a", 3), ItemAdded("b"), Restocked("a", 2)))
        assertEquals(Pair(listOf("a", "b"), mapOf("a" to 5)), state)
        assertEquals(listOf(ItemAdded("c")), shop.decide(state, AddItem("c")))
        assertEquals(listOf(Restocked("c", 1)), shop.decide(state, Restock("c", 1)))
    }

    @Test
    fun aPairOfImmutableStatesIsImmutableAndNothingElseIsProven() {
        val provenCart = object : Decider<List<String>, CartCommand, CartEvent> by cart {
            override fun immutableStates() = true
        }
        val provenStock = object : Decider<Map<String, Int>, StockCommand, StockEvent> by stock {
            override fun immutableStates() = true
        }
        assertFalse((cart combine stock).immutableStates(), "DSL deciders prove nothing")
        assertTrue((provenCart combine provenStock).immutableStates())
        assertFalse((provenCart combine stock).immutableStates())
        assertFalse((cart combine provenStock).immutableStates())
        assertFalse(provenCart.combine(provenStock, ::Shop, Shop::cart, Shop::stock).immutableStates(),
            "a state type of the caller's own is not known")
    }

    @Test
    fun aPairOfCheckedStatesIsCheckedAndCopiedHalfByHalf() {
        // As generated deciders check and copy: unmodifiable lists pass, ArrayLists are copied, Vectors are not.
        val checkedCart = object : Decider<List<String>, CartCommand, CartEvent> by cart {
            override fun checksStates() = true
            override fun isImmutable(state: List<String>) = ImmutableValues.isUnmodifiable(state)
            override fun copyState(state: List<String>): List<String>? =
                if (ImmutableValues.isCopyable(state)) ImmutableValues.copy(state) else null
        }
        val provenStock = object : Decider<Map<String, Int>, StockCommand, StockEvent> by stock {
            override fun immutableStates() = true
        }
        val shop = checkedCart combine provenStock
        assertFalse(shop.immutableStates())
        assertTrue(shop.checksStates())
        assertFalse((checkedCart combine stock).checksStates(), "a half that is neither proven nor checked")
        assertFalse(checkedCart.combine(provenStock, ::Shop, Shop::cart, Shop::stock).checksStates(),
            "a state type of the caller's own is not known")
        val stock = mapOf("a" to 1)
        assertTrue(shop.isImmutable(Pair(listOf("a"), stock)))
        val items = java.util.ArrayList(listOf("a"))
        val changeable = Pair<List<String>, Map<String, Int>>(items, stock)
        assertFalse(shop.isImmutable(changeable))
        val copy = shop.copyState(changeable)!!
        assertEquals(changeable, copy)
        assertNotSame(items, copy.first)
        assertSame(stock, copy.second, "the proven half as it is")
        assertNull(shop.copyState(Pair(java.util.Vector(listOf("a")), stock)), "a Vector is not copied")
        assertTrue((provenCartOf() combine provenStock).isImmutable(Pair(java.util.ArrayList(), stock)),
            "proven pairs are immutable whatever the check would say")
    }

    private fun provenCartOf() = object : Decider<List<String>, CartCommand, CartEvent> by cart {
        override fun immutableStates() = true
    }

    data class Shop(val cart: List<String>, val stock: Map<String, Int>)

    @Test
    fun combinedStateMayBeADataClass() {
        val shop: Decider<Shop, ShopCommand, ShopEvent> = cart.combine(stock, ::Shop, Shop::cart, Shop::stock)
        assertEquals(Shop(emptyList(), emptyMap()), shop.initialState())
        assertEquals(Shop(listOf("x"), mapOf("x" to 1)), shop.fold(listOf(ItemAdded("x"), Restocked("x", 1))))
    }

    @Test
    fun commandOrEventOfNeitherDeciderFailsClearly() {
        val shop: Decider<Pair<List<String>, Map<String, Int>>, ShopCommand, ShopEvent> = cart combine stock
        val command = assertThrows<UnknownCommandException> { shop.decide(shop.initialState(), Unrelated) }
        assertTrue(command.message!!.contains(Unrelated::class.java.name), command.message)
        val event = assertThrows<UnhandledEventException> { shop.evolve(shop.initialState(), Stray) }
        assertTrue(event.message!!.contains(Stray::class.java.name), event.message)
    }

    @Test
    fun overlappingCommandTypesAreRejectedAtConstruction() {
        val all = decider<Int, ShopCommand, CartEvent>(initialState = 0) {}
        val error = assertThrows<DeciderDefinitionException> {
            val combined: Decider<Pair<List<String>, Int>, ShopCommand, ShopEvent> = cart combine all
            combined.initialState()
        }
        assertTrue(error.message!!.contains("command types overlap"), error.message)
    }

    @Test
    fun overlappingEventTypesAreRejectedAtConstruction() {
        val other = decider<Int, StockCommand, ShopEvent>(initialState = 0) {}
        val error = assertThrows<DeciderDefinitionException> {
            val combined: Decider<Pair<List<String>, Int>, ShopCommand, ShopEvent> = cart combine other
            combined.initialState()
        }
        assertTrue(error.message!!.contains("event types overlap"), error.message)
    }

    interface Left
    interface Right
    data class OnBothSides(val id: String) : Left, Right

    @Test
    fun commandOfBothCommandTypesFailsAsAmbiguous() {
        val left = decider<Int, Left, CartEvent>(initialState = 0) { decide<OnBothSides> { _, _ -> emptyList() } }
        val right = decider<Int, Right, StockEvent>(initialState = 0) { decide<OnBothSides> { _, _ -> emptyList() } }
        val both: Decider<Pair<Int, Int>, Any, ShopEvent> = combine(
            left, Left::class.java, CartEvent::class.java, right, Right::class.java, StockEvent::class.java,
            { a, b -> Pair(a, b) }, { it.first }, { it.second },
        )
        assertThrows<DeciderDefinitionException> { both.decide(both.initialState(), OnBothSides("x")) }
    }

    @Test
    fun combinedDeciderRunsThroughTheCommandHandler() {
        val types = EventTypes.builder()
            .add("shop.ItemAdded", ItemAdded::class.java)
            .add("shop.Restocked", Restocked::class.java)
            .build()
        val shop: Decider<Pair<List<String>, Map<String, Int>>, ShopCommand, ShopEvent> = cart combine stock
        EventStore.inMemory(types).use { store ->
            val handler = CommandHandler.of(store, shop, "shop")
            handler.handle("s-1", AddItem("a"))
            handler.handle("s-1", Restock("a", 4))
            val result = handler.handle("s-1", AddItem("b"))
            assertEquals(Pair(listOf("a", "b"), mapOf("a" to 4)), result.state())
            assertEquals(3L, result.version())
        }
    }
}
