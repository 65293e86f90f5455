package dev.eskit.samples.shop

import dev.eskit.EventStore
import dev.eskit.Metadata
import dev.eskit.Position
import dev.eskit.StreamRef
import dev.eskit.command.CommandBus
import dev.eskit.command.RetryPolicy
import dev.eskit.kotlin.asCoroutineBus
import dev.eskit.kotlin.asCoroutineStore
import dev.eskit.kotlin.withMetadata
import java.io.PrintStream
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * Two customers fill and check out their carts concurrently, each request's metadata flowing into its events, while
 * a follower keeps the sales read model up to date from the global log. Returns the sales read model.
 */
suspend fun runShop(store: EventStore, out: PrintStream): Map<String, Int> = coroutineScope {
    val bus = CommandBus.builder(store).register(cartRoutes).retry(RetryPolicy.attempts(3)).build().asCoroutineBus()
    val events = store.asCoroutineStore()

    // The read model and the log position it has seen, kept current by following the log.
    val salesModel = MutableStateFlow(Position.START to sales.initial)
    val follower = launch {
        events.followAllFlow(pollInterval = 20.milliseconds).collect { stored ->
            val (_, model) = salesModel.value
            salesModel.value = stored.position() to sales.apply(model, stored.data() as CartEvent)
        }
    }

    val customers = listOf(
        "alice" to listOf(AddItem("cart-1", "apple", 3), AddItem("cart-1", "pear", 2), RemoveItem("cart-1", "pear")),
        "bob" to listOf(AddItem("cart-2", "apple", 1), AddItem("cart-2", "plum", 4)),
    )
    val checkouts = customers.mapIndexed { index, (user, commands) ->
        async {
            withMetadata(Metadata.correlatedBy("request-${index + 1}").withInitiator(user)) {
                commands.forEach { bus.send(it) }
                bus.send(CheckOut(commands.first().cartId)).events().last().position()
            }
        }
    }.awaitAll()

    try {
        bus.send(AddItem("cart-1", "fig", 1))
    } catch (rejected: CartException) {
        out.println("rejected: ${rejected.message}")
    }

    for (cartId in listOf("cart-1", "cart-2")) {
        val history = events.load(StreamRef.of("cart", cartId))
        out.println("stream cart/$cartId has ${history.size} events:")
        for (event in history) {
            out.println(
                "  v${event.version()} ${event.eventType()} ${event.data()}" +
                    " (correlation ${event.metadata().correlationId()}, initiator ${event.metadata().initiator()})",
            )
        }
    }

    // Wait until the follower has seen both checkouts, then stop it.
    val lastCheckout = checkouts.max()
    val (_, model) = withTimeout(10.seconds) { salesModel.first { (seen, _) -> seen >= lastCheckout } }
    follower.cancelAndJoin()
    out.println("sales: $model")
    model
}

/** Runs the shop on the in-memory store. */
fun main(): Unit = runBlocking {
    EventStore.inMemory(shopEventTypes).use { store -> runShop(store, System.out) }
}
