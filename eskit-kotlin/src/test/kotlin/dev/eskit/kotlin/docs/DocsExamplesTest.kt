package dev.eskit.kotlin.docs

import dev.eskit.Decider
import dev.eskit.EventStore
import dev.eskit.ExpectedVersion
import dev.eskit.Metadata
import dev.eskit.Position
import dev.eskit.StoredEvent
import dev.eskit.StreamRef
import dev.eskit.codec.EventTypes
import dev.eskit.command.CommandBus
import dev.eskit.command.CommandHandler
import dev.eskit.command.CommandRoute
import dev.eskit.kotlin.Account
import dev.eskit.kotlin.AccountEvent
import dev.eskit.kotlin.Deposit
import dev.eskit.kotlin.Deposited
import dev.eskit.kotlin.InsufficientFunds
import dev.eskit.kotlin.Open
import dev.eskit.kotlin.Opened
import dev.eskit.kotlin.Withdraw
import dev.eskit.kotlin.Withdrawn
import dev.eskit.kotlin.account
import dev.eskit.kotlin.asCoroutineBus
import dev.eskit.kotlin.asCoroutineHandler
import dev.eskit.kotlin.asCoroutineStore
import dev.eskit.kotlin.asReadModel
import dev.eskit.kotlin.combine
import dev.eskit.kotlin.decider
import dev.eskit.kotlin.followAllFlow
import dev.eskit.kotlin.projection
import dev.eskit.kotlin.readAllFlow
import dev.eskit.kotlin.routes
import dev.eskit.kotlin.testTypes
import dev.eskit.kotlin.testing.given
import dev.eskit.kotlin.withMetadata
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

// The examples of docs/kotlin.md, as they appear there.

sealed interface CounterCommand
data object Increment : CounterCommand
data class Add(val amount: Int) : CounterCommand

sealed interface CounterEvent
data object Incremented : CounterEvent
data class Added(val amount: Int) : CounterEvent

val counter: Decider<Int, CounterCommand, CounterEvent> =
    decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
        decide<Increment> { _, _ -> listOf(Incremented) }
        decide<Add> { _, command ->
            require(command.amount > 0) { "amount must be positive" }
            listOf(Added(command.amount))
        }
        evolve<Incremented> { state, _ -> state + 1 }
        evolve<Added> { state, event -> state + event.amount }
    }

val lenient = decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
    evolve<Incremented> { state, _ -> state + 1 }
    ignoreUnhandledEvents() // events without a handler leave the state unchanged
}

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

data class Cart(val items: List<String> = emptyList())

val cachedCart = decider<Cart, CartCommand, CartEvent>(Cart()) {
    immutableStates()                      // handlers cache these states by default
    decide<AddItem> { _, command -> listOf(ItemAdded(command.sku)) }
    evolve<ItemAdded> { state, event -> state.copy(items = state.items + event.sku) }
}

val cart = decider<List<String>, CartCommand, CartEvent>(initialState = emptyList()) {
    decide<AddItem> { _, command -> listOf(ItemAdded(command.sku)) }
    evolve<ItemAdded> { items, event -> items + event.sku }
}
val stock = decider<Map<String, Int>, StockCommand, StockEvent>(initialState = emptyMap()) {
    decide<Restock> { _, command -> listOf(Restocked(command.sku, command.count)) }
    evolve<Restocked> { counts, event -> counts + (event.sku to (counts[event.sku] ?: 0) + event.count) }
}

val shop: Decider<Pair<List<String>, Map<String, Int>>, ShopCommand, ShopEvent> = cart combine stock

data class Shop(val cart: List<String>, val stock: Map<String, Int>)
val shopState: Decider<Shop, ShopCommand, ShopEvent> = cart.combine(stock, ::Shop, Shop::cart, Shop::stock)

val balances = projection<Map<String, Long>, AccountEvent>(initial = emptyMap()) {
    on<Deposited> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) + e.amount) }
    on<Withdrawn> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) - e.amount) }
}

class DocsExamplesTest {

    private val store = EventStore.inMemory(testTypes)

    @Test
    fun deciderExamples() {
        assertEquals(3, counter.fold(1, counter.decide(1, Add(2))))
        assertEquals(2, lenient.fold(listOf(Incremented, Added(5), Incremented)))
        val classTaking = decider(CounterCommand::class.java, CounterEvent::class.java, 0) {
            decide(Increment::class.java) { _, _ -> listOf(Incremented) }
        }
        assertEquals(listOf(Incremented), classTaking.decide(0, Increment))
    }

    @Test
    fun combineExamples() {
        val history = listOf(ItemAdded("a"), Restocked("a", 2))
        assertEquals(Pair(listOf("a"), mapOf("a" to 2)), shop.fold(history))
        assertEquals(Shop(listOf("a"), mapOf("a" to 2)), shopState.fold(history))
        assertEquals(listOf(Restocked("b", 1)), shop.decide(shop.initialState(), Restock("b", 1)))
    }

    @Test
    fun projectionExample() {
        val model = balances.fold(listOf(Opened("a"), Deposited("a", 5), Withdrawn("a", 2))) // {a=3}
        assertEquals(mapOf("a" to 3L), model)
    }

    @Test
    fun storeExample() = runBlocking<Unit> {
        val events = store.asCoroutineStore()
        val stream = StreamRef.of("account", "a-1")
        events.append(stream, ExpectedVersion.noStream(), listOf(Opened("a-1"), Deposited("a-1", 5)))
        val history: List<StoredEvent<Any>> = events.load(stream)
        val version: Long = events.streamVersion(stream)
        assertEquals(2, history.size)
        assertEquals(2L, version)
    }

    @Test
    fun commandAndMetadataExamples() = runBlocking<Unit> {
        val accounts = CommandHandler.of(store, account, "account").asCoroutineHandler()
        val result = accounts.handle("a-1", Open("a-1"))
        assertEquals(Account(open = true), result.state())

        val bus = CommandBus.builder(store)
            .register(CommandRoute.of(Open::class.java, "account", Open::accountId, account))
            .register(CommandRoute.of(Deposit::class.java, "account", Deposit::accountId, account))
            .build()
            .asCoroutineBus()
        bus.send(Deposit("a-1", 40))

        withMetadata(Metadata.correlatedBy("req-7").withInitiator("alice")) {
            bus.send(Deposit("a-1", 40))                  // stored with correlation "req-7", initiator "alice"
            withMetadata({ it.withInitiator("system") }) { // change one field for a nested block
                bus.send(Deposit("a-1", 1))
            }
        }
        val stored = store.load(StreamRef.of("account", "a-1")).map { it.metadata() }
        assertEquals(listOf("req-7", "req-7"), stored.takeLast(2).map { it.correlationId() })
        assertEquals(listOf("alice", "system"), stored.takeLast(2).map { it.initiator() })
    }

    @Test
    fun routesExample() {
        val routed = CommandBus.builder(store)
            .register(routes(account, "account") {
                route<Open> { it.accountId }
                route<Deposit> { it.accountId }
                route<Withdraw> { it.accountId }
            })
            .build()
        routed.send(Open("r-1"))
        routed.send(Deposit("r-1", 10))
        assertEquals(Account(open = true, balance = 7), routed.send(Withdraw("r-1", 3)).state(Account::class.java))
    }

    @Test
    fun scenarioGoesOnAfterThen() {
        account given { event(Opened("a")) } whenever { Deposit("a", 10) } then { events(Deposited("a", 10)) } whenever { Withdraw("a", 4) } then { state(Account(open = true, balance = 6)) }
    }

    @Test
    fun flowExamples() = runBlocking<Unit> {
        store.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), listOf(Opened("a"), Deposited("a", 5)))
        // From a position to the current end of the log, in pages; completes at the end.
        val deposits: List<StoredEvent<Any>> =
            store.readAllFlow(after = Position.START, pageSize = 500, eventTypes = setOf("bank.Deposited")).toList()
        assertEquals(listOf<Any>(Deposited("a", 5)), deposits.map { it.data() })

        val checkpoint = Position.of(1)
        val seen = Channel<Any>(Channel.UNLIMITED)
        suspend fun handle(event: StoredEvent<Any>) = seen.send(event.data())
        // From a position on, forever: polls for new events every pollInterval once it has caught up.
        val follower = launch {
            store.followAllFlow(after = checkpoint, pollInterval = 200.milliseconds).collect { event -> handle(event) }
        }
        withTimeout(10.seconds) { assertEquals(Deposited("a", 5), seen.receive()) }
        follower.cancelAndJoin()
    }

    @Test
    fun withdrawingMoreThanTheBalanceIsRejected() {
        account given { event(Opened("a")) } whenever { Withdraw("a", 9) } then { throws<InsufficientFunds>("9 needed") }
    }

    @Test
    fun depositsAddUp() {
        account given {
            event(Opened("a"))
            event(Deposited("a", 10))
        } whenever { Deposit("a", 5) } then {
            events(Deposited("a", 5))
            state { assertEquals(15, it.balance) }
        }
    }

    @Test
    fun projectionTestExamples() {
        balances given { event(Deposited("a", 5)); event(Withdrawn("a", 2)) } then { model(mapOf("a" to 3L)) }
        balances.given(from = mapOf("a" to 10L)) { event(Deposited("a", 1)) } then { model { assertEquals(11L, it["a"]) } }
    }

    @Test
    fun failureMessageExample() {
        val error = org.junit.jupiter.api.assertThrows<AssertionError> {
            counter given { event(Incremented) } whenever { Add(2) } then { events(Added(3)) }
        }
        val expected = """
            When Add(amount=2)
            expected 1 event(s):
              1. Added(amount=3)
            but got 1 event(s):
              1. Added(amount=2)
            first difference at event 1:
              - expected: Added(amount=3)
              + actual:   Added(amount=2)
        """.trimIndent()
        assertEquals(expected, error.message!!.trimEnd())
    }

    @Test
    fun readModelExample() = runBlocking<Unit> {
        withTimeout(10.seconds) {
            val bankTypes = testTypes
            val balancesModel = balances.asReadModel(name = "balances", types = bankTypes)
            val feeder = launch {
                store.followAllFlow(eventTypes = balancesModel.eventTypes(), pollInterval = 50.milliseconds)
                    .collect(balancesModel::handle)
            }
            val appended = store.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), listOf(Deposited("a", 5)))
            val current: Map<String, Long> = balancesModel.state.first { it.position >= appended.lastPosition() }.model
            assertEquals(mapOf("a" to 5L), current)
            feeder.cancelAndJoin()
        }
    }

    @Test
    fun aDeciderThatPromisesImmutableStatesIsCachedByDefault() {
        val types = EventTypes.builder().add("shop.ItemAdded", ItemAdded::class.java).build()
        val handler = CommandHandler.builder(EventStore.inMemory(types), cachedCart, "cart").build()
        handler.handle("c", AddItem("a"))
        assertEquals(Cart(listOf("a", "b")), handler.handle("c", AddItem("b")).state())
        assertEquals(1L, handler.stateCache().orElseThrow().hits())
    }
}
