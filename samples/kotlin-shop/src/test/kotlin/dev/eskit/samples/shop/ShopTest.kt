package dev.eskit.samples.shop

import dev.eskit.EventStore
import dev.eskit.StreamRef
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ShopTest {

    @Test
    fun shopRunsBothCustomersAndTheSalesReadModelSeesEveryCheckout() = runBlocking<Unit> {
        EventStore.inMemory(shopEventTypes).use { store ->
            val bytes = ByteArrayOutputStream()
            val model = runShop(store, PrintStream(bytes, true, Charsets.UTF_8))
            assertEquals(mapOf("apple" to 4, "plum" to 4), model)

            val alice = store.load(StreamRef.of("cart", "cart-1"))
            assertEquals(
                listOf(ItemAdded("apple", 3), ItemAdded("pear", 2), ItemRemoved("pear"), CheckedOut(mapOf("apple" to 3))),
                alice.map { it.data() },
            )
            assertTrue(alice.all { it.metadata().correlationId() == "request-1" && it.metadata().initiator() == "alice" })
            val bob = store.load(StreamRef.of("cart", "cart-2"))
            assertTrue(bob.all { it.metadata().correlationId() == "request-2" && it.metadata().initiator() == "bob" })

            val output = bytes.toString(Charsets.UTF_8)
            assertTrue(output.contains("rejected: cart cart-1 is checked out"), output)
            assertTrue(output.contains("sales: {apple=4, plum=4}"), output)
            assertTrue(output.contains("stock: {apple=6, pear=5, plum=1}"), output)

            val apple = store.load(StreamRef.of("stock", "apple"))
            assertEquals(listOf(Restocked("apple", 10)), apple.take(1).map { it.data() })
            assertEquals(setOf(Reserved("apple", 3), Reserved("apple", 1)), apple.drop(1).map { it.data() }.toSet())
            assertEquals("warehouse", apple[0].metadata().initiator())
        }
    }
}
