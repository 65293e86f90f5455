package dev.eskit.samples.shop

import dev.eskit.Decider
import dev.eskit.kotlin.testing.given
import dev.eskit.kotlin.testing.whenever
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The annotated Kotlin stock decider, through the code kapt generated for it. */
class StockTest {

    @Test
    fun generatedFixtureChecksAReservation() {
        StockSpec.given(Restocked("apple", 5))
            .`when`(Reserve("apple", 2))
            .then(Reserved("apple", 2))
            .thenState(StockLevel(3))
    }

    @Test
    fun generatedFixtureSeesTheDomainError() {
        StockSpec.given(Restocked("apple", 1))
            .`when`(Reserve("apple", 2))
            .thenError(OutOfStock::class.java, "only 1 of apple in stock")
    }

    @Test
    fun generatedDeciderWorksWithTheKotlinTestDsl() {
        StockDecider() given { event(Restocked("plum", 4)); event(Reserved("plum", 1)) } whenever { Restock("plum", 2) } then {
            events(Restocked("plum", 2))
            state(StockLevel(5))
        }
        StockDecider() whenever { Restock("plum", 0) } then { throws<IllegalArgumentException>("must be positive") }
    }

    @Test
    fun generatedRoutesSendEachCommandToItsSkusStream() {
        val routes = StockDecider.routes().associateBy { it.commandType() }
        assertEquals(setOf(Reserve::class.java, Restock::class.java), routes.keys)
        assertEquals("stock", routes.getValue(Reserve::class.java).streamType())
        assertEquals("apple", routes.getValue(Reserve::class.java).streamId().apply(Reserve("apple", 1)))
        assertEquals("pear", routes.getValue(Restock::class.java).streamId().apply(Restock("pear", 1)))
    }

    @Test
    fun kaptInfersTheSealedCommandAndEventTypesFromTheKotlinMetadata() {
        // @Decider(stream = "stock") names neither: the processor read `sealed` from the stubs' @kotlin.Metadata.
        val decider: Decider<StockLevel, StockCommand, StockEvent> = StockDecider()
        assertEquals(StockLevel(0), decider.initialState())
        assertEquals("stock", StockDecider.STREAM_TYPE)
    }

    @Test
    fun docsExamples() {
        StockSpec.given(Restocked("apple", 1)).`when`(Reserve("apple", 2)).thenError(OutOfStock::class.java)
        StockDecider() given { event(Restocked("plum", 4)) } whenever { Reserve("plum", 1) } then { state(StockLevel(3)) }
    }
}
