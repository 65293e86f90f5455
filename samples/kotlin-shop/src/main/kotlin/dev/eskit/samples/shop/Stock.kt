package dev.eskit.samples.shop

import dev.eskit.annotations.Decide
import dev.eskit.annotations.Decider
import dev.eskit.annotations.Event
import dev.eskit.annotations.Evolve
import dev.eskit.annotations.InitialState
import dev.eskit.annotations.StreamId

// The stock of one SKU, written with eskit's annotations instead of the DSL: kapt runs the eskit processor on it,
// which generates StockDecider (dispatch and command routes) and StockSpec (the test fixture), as for Java code, and
// lists the @Event data classes in ShopEventTypes. kapt's Java stubs do not keep Kotlin's `sealed`, but the processor
// reads it from the classes' Kotlin metadata: the command and event types are inferred (StockCommand, StockEvent), and
// a command or event without a handler fails the build.

/** What the stock of one SKU is asked to do. */
sealed interface StockCommand {
    /** The SKU, which names the stock stream. */
    val sku: String
}

/** Adds [quantity] units to the stock. The SKU is the stream id (`@StreamId` on a constructor property). */
data class Restock(@StreamId override val sku: String, val quantity: Int) : StockCommand

/** Takes [quantity] units out of the stock for an order. */
data class Reserve(@StreamId override val sku: String, val quantity: Int) : StockCommand

/** What happened to the stock of one SKU. */
sealed interface StockEvent

/** [quantity] units arrived. */
@Event
data class Restocked(val sku: String, val quantity: Int) : StockEvent

/** [quantity] units were reserved. */
@Event
data class Reserved(val sku: String, val quantity: Int) : StockEvent

/** The units of one SKU on hand. */
data class StockLevel(val available: Int)

/** A reservation that the stock cannot cover. */
class OutOfStock(sku: String, available: Int, wanted: Int) :
    RuntimeException("only $available of $sku in stock, cannot reserve $wanted")

/** The stock decider, as annotated pure functions. */
@Decider(stream = "stock")
class Stock {
    /** No units before the first delivery. */
    @InitialState
    fun initial(): StockLevel = StockLevel(0)

    /** A delivery adds units. */
    @Decide
    fun restock(state: StockLevel, command: Restock): Restocked {
        require(command.quantity > 0) { "restock quantity must be positive, was ${command.quantity}" }
        return Restocked(command.sku, command.quantity)
    }

    /** A reservation takes units, if there are enough. */
    @Decide
    fun reserve(state: StockLevel, command: Reserve): List<StockEvent> {
        if (command.quantity > state.available) throw OutOfStock(command.sku, state.available, command.quantity)
        return listOf(Reserved(command.sku, command.quantity))
    }

    /** Units arrived. */
    @Evolve
    fun restocked(state: StockLevel, event: Restocked): StockLevel = StockLevel(state.available + event.quantity)

    /** Units left. */
    @Evolve
    fun reserved(state: StockLevel, event: Reserved): StockLevel = StockLevel(state.available - event.quantity)
}
