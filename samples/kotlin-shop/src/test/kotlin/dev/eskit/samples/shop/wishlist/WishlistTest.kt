package dev.eskit.samples.shop.wishlist

import dev.eskit.EventStore
import dev.eskit.annotations.Decide
import dev.eskit.annotations.Decider
import dev.eskit.annotations.Event
import dev.eskit.annotations.Evolve
import dev.eskit.annotations.InitialState
import dev.eskit.annotations.StreamId
import dev.eskit.codec.EventTypes
import dev.eskit.command.CommandHandler
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

sealed interface WishlistCommand
data class Wish(@StreamId val owner: String, val sku: String) : WishlistCommand

sealed interface WishlistEvent
@Event
data class Wished(val sku: String) : WishlistEvent

/** Idiomatic Kotlin: read-only collections, a new list from `+` (an `ArrayList` underneath). */
data class WishlistState(val skus: List<String> = emptyList(), val counts: Map<String, Int> = emptyMap())

@Decider(stream = "wishlist")
class Wishlist {
    @InitialState
    fun initial(): WishlistState = WishlistState()

    @Decide
    fun wish(state: WishlistState, command: Wish): Wished = Wished(command.sku)

    @Evolve
    fun wished(state: WishlistState, event: Wished): WishlistState =
        state.copy(skus = state.skus + event.sku, counts = state.counts + (event.sku to (state.counts[event.sku] ?: 0) + 1))
}

/**
 * A Kotlin `@Decider` whose state is a data class of `List` and `Map`, through real kapt: the generated decider checks
 * its states (`emptyList()` is unmodifiable, `skus + sku` is not) and copies the changeable ones, so a command handler
 * caches them by default.
 */
class WishlistTest {

    @Test
    fun aDataClassStateIsCheckedAndCachedAsCopies() {
        val decider = WishlistDecider()
        assertFalse(decider.immutableStates())
        assertTrue(decider.checksStates())
        assertTrue(decider.isImmutable(WishlistState()))
        val grown = WishlistState(listOf("a") + "b", mapOf("a" to 1) + ("b" to 1))
        assertFalse(decider.isImmutable(grown))
        assertEquals(grown, decider.copyState(grown))

        val store = EventStore.inMemory(EventTypes.builder().add("wishlist.Wished", Wished::class.java).build())
        val handler = CommandHandler.builder(store, decider, "wishlist").build()
        var state = WishlistState()
        for (i in 0 until 5) {
            state = handler.handle("ann", Wish("ann", "sku-${i % 3}")).state()
        }
        assertEquals(listOf("sku-0", "sku-1", "sku-2", "sku-0", "sku-1"), state.skus)
        assertEquals(mapOf("sku-0" to 2, "sku-1" to 2, "sku-2" to 1), state.counts)
        val stats = handler.stateCache().orElseThrow()
        assertEquals(1, stats.streams())
        assertEquals(4, stats.hits(), "every command after the first decided on a copy of the cached state")
    }
}
