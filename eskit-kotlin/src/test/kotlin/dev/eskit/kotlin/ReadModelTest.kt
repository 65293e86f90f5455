package dev.eskit.kotlin

import dev.eskit.EventStore
import dev.eskit.ExpectedVersion
import dev.eskit.InvalidInputException
import dev.eskit.Position
import dev.eskit.StreamRef
import dev.eskit.codec.EventType
import dev.eskit.codec.EventTypes
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ReadModelTest {

    private val balances = projection<Map<String, Long>, AccountEvent>(initial = emptyMap()) {
        on<Deposited> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) + e.amount) }
        on<Withdrawn> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) - e.amount) }
    }

    @Test
    fun readModelAsksOnlyForTheTypesItsHandlersTakeWithTheirAliases() {
        val types = EventTypes.builder()
            .add("bank.Opened", Opened::class.java)
            .add("bank.Deposited", Deposited::class.java)
            .add(EventType("bank.Withdrawn", Withdrawn::class.java, 2, listOf("bank.MoneyWithdrawn"), emptyMap()))
            .add("counter.Added", Added::class.java)
            .build()
        val model = balances.asReadModel("balances", types)
        assertEquals("balances", model.name())
        assertEquals(setOf("bank.Deposited", "bank.Withdrawn", "bank.MoneyWithdrawn"), model.eventTypes())
    }

    @Test
    fun aProjectionThatDoesNotListItsHandlersAsksForEveryTypeOfItsEventType() {
        val count = object : FoldProjection<Int, AccountEvent> {
            override val initial: Int = 0
            override fun apply(model: Int, event: AccountEvent): Int = model + 1
        }
        assertEquals(setOf("bank.Opened", "bank.Deposited", "bank.Withdrawn"), count.asReadModel("count", testTypes).eventTypes())
    }

    @Test
    fun handleAppliesEventsAndRecordsThePositionAndIgnoresOtherTypes() {
        val store = EventStore.inMemory(testTypes)
        store.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), listOf(Opened("a"), Deposited("a", 5)))
        store.append(StreamRef.of("counter", "c"), ExpectedVersion.noStream(), listOf(Added(1)))
        store.append(StreamRef.of("account", "a"), ExpectedVersion.exactly(2), listOf(Withdrawn("a", 2)))
        val model = balances.asReadModel("balances", testTypes)
        assertEquals(Projected(Position.START, emptyMap<String, Long>()), model.state.value)
        store.readAll(Position.START, 100).forEach(model::handle)
        assertEquals(mapOf("a" to 3L), model.model)
        assertEquals(Position.of(4), model.state.value.position)
    }

    @Test
    fun readModelFollowsTheLogAndCoroutinesCanWaitForAPosition() = runBlocking<Unit> {
        val store = EventStore.inMemory(testTypes)
        val model = balances.asReadModel("balances", testTypes)
        val follower = launch {
            store.followAllFlow(eventTypes = model.eventTypes(), pollInterval = 5.milliseconds).collect(model::handle)
        }
        store.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), listOf(Opened("a"), Deposited("a", 7)))
        val last = store.append(StreamRef.of("account", "b"), ExpectedVersion.noStream(), listOf(Deposited("b", 1)))
        val seen = withTimeout(10.seconds) { model.state.first { it.position >= last.lastPosition() } }
        assertEquals(mapOf("a" to 7L, "b" to 1L), seen.model)
        follower.cancelAndJoin()
    }

    @Test
    fun badNameIsRejected() {
        assertThrows<InvalidInputException> { balances.asReadModel("", testTypes) }
        assertThrows<InvalidInputException> { balances.asReadModel("x".repeat(257), testTypes) }
    }
}
