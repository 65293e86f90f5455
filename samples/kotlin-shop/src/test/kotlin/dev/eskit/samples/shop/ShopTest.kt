package dev.eskit.samples.shop

import dev.eskit.StreamRef
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** The whole shop on the SQLite store, in a temporary file: every event goes through JSON and back. */
class ShopTest {

    @TempDir
    lateinit var dir: Path

    @Test
    fun shopRunsBothCustomersAndTheSalesReadModelSeesEveryCheckout() = runBlocking<Unit> {
        openShopStore(dir.resolve("shop.db")).use { store ->
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
            assertEquals(listOf("shop.Restocked", "shop.Reserved", "shop.Reserved"), apple.map { it.eventType() })
        }
    }

    @Test
    fun eventsSurviveClosingAndReopeningTheFile() = runBlocking<Unit> {
        val file = dir.resolve("reopened.db")
        openShopStore(file).use { store -> runShop(store, PrintStream(ByteArrayOutputStream(), true)) }
        openShopStore(file).use { store ->
            val alice = store.load(StreamRef.of("cart", "cart-1")).map { it.data() }
            assertEquals(CheckedOut(mapOf("apple" to 3)), alice.last())
            val stock = StockDecider()
            val plum = stock.fold(store.load(StreamRef.of("stock", "plum")).map { it.data() as StockEvent })
            assertEquals(StockLevel(1), plum)
        }
    }

    @Test
    fun mainRunsTheShopOnASqliteFile() {
        val file = dir.resolve("main.db")
        val out = ByteArrayOutputStream()
        val previous = System.out
        System.setOut(PrintStream(out, true, Charsets.UTF_8))
        try {
            main(arrayOf(file.toString()))
        } finally {
            System.setOut(previous)
        }
        val output = out.toString(Charsets.UTF_8)
        assertTrue(output.contains("sales: {apple=4, plum=4}"), output)
        assertTrue(output.contains("events stored in $file"), output)
        assertTrue(Files.size(file) > 0)
    }
}
