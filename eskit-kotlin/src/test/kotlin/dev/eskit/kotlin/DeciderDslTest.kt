package dev.eskit.kotlin

import dev.eskit.EventStore
import dev.eskit.UnknownCommandException
import dev.eskit.command.CommandHandler
import java.util.concurrent.Callable
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class DeciderDslTest {

    @Test
    fun decidesAndEvolvesByTheExactClass() {
        assertEquals(0, counter.initialState())
        assertEquals(listOf(Incremented), counter.decide(0, Increment))
        assertEquals(listOf(Added(5)), counter.decide(0, Add(5)))
        assertEquals(1, counter.evolve(0, Incremented))
        assertEquals(8, counter.fold(listOf(Incremented, Added(5), Added(2))))
    }

    @Test
    fun decideHandlersSeeTheStateAndMayReject() {
        val state = account.fold(listOf(Opened("a"), Deposited("a", 10)))
        assertEquals(Account(open = true, balance = 10), state)
        assertEquals(listOf(Withdrawn("a", 4)), account.decide(state, Withdraw("a", 4)))
        assertThrows<InsufficientFunds> { account.decide(state, Withdraw("a", 11)) }
    }

    @Test
    fun commandWithoutHandlerFailsNamingItsClass() {
        val error = assertThrows<UnknownCommandException> { counter.decide(0, Reset) }
        assertTrue(error.message!!.contains(Reset::class.java.name), error.message)
        assertTrue(error.message!!.contains("decide<Reset>"), error.message)
    }

    @Test
    fun twoDecideHandlersForOneClassFailAtConstruction() {
        val error = assertThrows<DeciderDefinitionException> {
            decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
                decide<Increment> { _, _ -> listOf(Incremented) }
                decide<Increment> { _, _ -> listOf(Added(1)) }
            }
        }
        assertTrue(error.message!!.contains("decide<${Increment::class.java.name}>"), error.message)
    }

    @Test
    fun twoEvolveHandlersForOneClassFailAtConstruction() {
        val error = assertThrows<DeciderDefinitionException> {
            decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
                evolve<Added> { state, _ -> state }
                evolve<Added> { state, _ -> state + 1 }
            }
        }
        assertTrue(error.message!!.contains("evolve<${Added::class.java.name}>"), error.message)
    }

    @Test
    fun eventWithoutEvolveFailsByDefault() {
        val error = assertThrows<UnhandledEventException> { counter.evolve(3, WasReset) }
        assertTrue(error.message!!.contains(WasReset::class.java.name), error.message)
        assertTrue(error.message!!.contains("ignoreUnhandledEvents()"), error.message)
    }

    @Test
    fun ignoreUnhandledEventsLeavesTheStateUnchanged() {
        val lenient = decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
            evolve<Incremented> { state, _ -> state + 1 }
            ignoreUnhandledEvents()
        }
        assertEquals(2, lenient.fold(listOf(Incremented, WasReset, Incremented)))
    }

    @Test
    fun handlerForASupertypeHandlesSubclassesAndTheExactClassWins() {
        val d = decider<String, CounterCommand, CounterEvent>(initialState = "") {
            decide<CounterCommand> { _, _ -> listOf(WasReset) }
            decide<Add> { _, c -> listOf(Added(c.amount)) }
            evolve<CounterEvent> { state, e -> "$state any:$e;" }
            evolve<Added> { state, e -> "$state added:${e.amount};" }
        }
        assertEquals(listOf(WasReset), d.decide("", Increment))
        assertEquals(listOf(WasReset), d.decide("", Reset))
        assertEquals(listOf(Added(2)), d.decide("", Add(2)))
        assertEquals(" any:Incremented; added:3;", d.fold(listOf(Incremented, Added(3))))
    }

    interface Audited
    interface Urgent
    data class Both(val x: Int) : Audited, Urgent

    @Test
    fun twoUnrelatedSupertypeHandlersForOneClassFailNamingBoth() {
        val d = decider<Int, Any, Any>(initialState = 0) {
            decide<Audited> { _, _ -> listOf("audited") }
            decide<Urgent> { _, _ -> listOf("urgent") }
        }
        val error = assertThrows<DeciderDefinitionException> { d.decide(0, Both(1)) }
        assertTrue(error.message!!.contains(Audited::class.java.name), error.message)
        assertTrue(error.message!!.contains(Urgent::class.java.name), error.message)
    }

    @Test
    fun classTakingFormBuildsTheSameDecider() {
        val d = decider(CounterCommand::class.java, CounterEvent::class.java, 10) {
            decide(Increment::class.java) { _, _ -> listOf(Incremented) }
            evolve(Incremented::class.java) { state, _ -> state + 1 }
        }
        assertEquals(10, d.initialState())
        assertEquals(11, d.fold(d.decide(10, Increment)))
    }

    @Test
    fun initialStateIsTheGivenValue() {
        val state = Account(open = true)
        val d = decider<Account, AccountCommand, AccountEvent>(initialState = state) {}
        assertSame(state, d.initialState())
    }

    @Test
    fun concurrentDispatchThroughSupertypesGivesEveryThreadTheRightHandler() {
        // Every class is new to the table, so the threads race to resolve and cache the same supertype lookups.
        val d = decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
            decide<CounterCommand> { _, _ -> listOf(WasReset) }
            decide<Add> { _, c -> listOf(Added(c.amount)) }
            evolve<CounterEvent> { state, _ -> state + 1 }
            evolve<Added> { state, e -> state + e.amount }
        }
        val threads = 8
        val barrier = CyclicBarrier(threads)
        val pool = Executors.newFixedThreadPool(threads)
        try {
            val results = (1..threads).map { t ->
                pool.submit(Callable {
                    barrier.await(10, TimeUnit.SECONDS)
                    var total = 0
                    repeat(10_000) { i ->
                        val events = if (i % 2 == 0) d.decide(0, Increment) else d.decide(0, Add(t))
                        total = d.fold(total, events)
                    }
                    total
                })
            }
            results.forEachIndexed { index, result ->
                val t = index + 1
                assertEquals(5_000 * 1 + 5_000 * t, result.get(30, TimeUnit.SECONDS))
            }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun immutableStatesTurnsTheCacheOnByDefault() {
        assertFalse(account.immutableStates(), "a DSL decider promises nothing unless asked")
        assertFalse(CommandHandler.builder(EventStore.inMemory(testTypes), account, "account").build().stateCache()
            .isPresent)
        val promised = decider<Account, AccountCommand, AccountEvent>(initialState = Account()) {
            immutableStates()
            decide<Deposit> { _, command -> listOf(Deposited(command.accountId, command.amount)) }
            evolve<Deposited> { state, event -> state.copy(balance = state.balance + event.amount) }
        }
        assertTrue(promised.immutableStates())
        val handler = CommandHandler.builder(EventStore.inMemory(testTypes), promised, "account").build()
        repeat(3) { handler.handle("a", Deposit("a", 5)) }
        assertEquals(Account(balance = 20), handler.handle("a", Deposit("a", 5)).state())
        val stats = handler.stateCache().orElseThrow()
        assertEquals(CommandHandler.DEFAULT_CACHED_STREAMS, stats.maxStreams())
        assertEquals(3, stats.hits())
    }
}
