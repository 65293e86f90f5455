package dev.eskit.kotlin.testing

import dev.eskit.kotlin.Account
import dev.eskit.kotlin.AccountEvent
import dev.eskit.kotlin.Add
import dev.eskit.kotlin.Added
import dev.eskit.kotlin.Deposit
import dev.eskit.kotlin.Deposited
import dev.eskit.kotlin.Increment
import dev.eskit.kotlin.Incremented
import dev.eskit.kotlin.InsufficientFunds
import dev.eskit.kotlin.Opened
import dev.eskit.kotlin.Withdraw
import dev.eskit.kotlin.Withdrawn
import dev.eskit.kotlin.account
import dev.eskit.kotlin.counter
import dev.eskit.kotlin.projection
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class TestDslTest {

    @Test
    fun passingScenarioChecksEventsAndState() {
        counter given { event(Incremented) } whenever { Add(2) } then {
            events(Added(2))
            state(3)
        }
        counter whenever { Increment } then { events(Incremented) }
        account given { events(Opened("a"), Deposited("a", 10)) } whenever { Withdraw("a", 4) } then {
            events(Withdrawn("a", 4))
            state { assertEquals(6, it.balance) }
        }
    }

    @Test
    fun outcomeIsReadableAfterThen() {
        val decided = counter given { events(listOf(Incremented, Incremented)) } whenever { Increment } then {
            state(3)
        }
        assertEquals(listOf(Incremented), decided.events)
        assertEquals(3, decided.state)
    }

    @Test
    fun givenAloneGivesTheFoldedState() {
        assertEquals(Account(open = true, balance = 3), (account given { event(Opened("a")); event(Deposited("a", 3)) }).state)
    }

    @Test
    fun wrongEventsFailWithADiff() {
        val error = assertThrows<AssertionError> {
            counter given { event(Incremented) } whenever { Add(2) } then { events(Added(3)) }
        }
        val message = error.message!!
        assertTrue(message.contains("When Add(amount=2)"), message)
        assertTrue(message.contains("- expected: Added(amount=3)"), message)
        assertTrue(message.contains("+ actual:   Added(amount=2)"), message)
    }

    @Test
    fun wrongStateFails() {
        val error = assertThrows<AssertionError> { counter whenever { Increment } then { state(5) } }
        assertTrue(error.message!!.contains("expected state: 5"), error.message)
        assertTrue(error.message!!.contains("actual state: 1"), error.message)
    }

    @Test
    fun expectedErrorPassesAndItsMessageIsChecked() {
        account given { event(Opened("a")) } whenever { Withdraw("a", 9) } then {
            throws<InsufficientFunds>("9 needed")
        }
        account given { event(Opened("a")) } whenever { Withdraw("a", 9) } then { throws<RuntimeException>() }
    }

    @Test
    fun expectedErrorFailsWhenTheCommandIsAccepted() {
        val error = assertThrows<AssertionError> {
            account whenever { Deposit("a", 1) } then { throws<InsufficientFunds>() }
        }
        assertTrue(error.message!!.contains("the command was accepted"), error.message)
    }

    @Test
    fun expectedEventsFailWhenDecideThrows() {
        val error = assertThrows<AssertionError> {
            account whenever { Withdraw("a", 1) } then { events(Withdrawn("a", 1)) }
        }
        assertTrue(error.message!!.contains("decide threw"), error.message)
        assertTrue(error.cause is InsufficientFunds)
    }

    @Test
    fun noEventsPassesAndFails() {
        val lazyCounter = dev.eskit.kotlin.decider<Int, dev.eskit.kotlin.CounterCommand, dev.eskit.kotlin.CounterEvent>(
            initialState = 0,
        ) { decide<Increment> { _, _ -> emptyList() } }
        lazyCounter whenever { Increment } then { noEvents() }
        assertThrows<AssertionError> { counter whenever { Increment } then { noEvents() } }
    }

    @Test
    fun thenWithoutExpectationsFails() {
        val error = assertThrows<AssertionError> { counter whenever { Increment } then { } }
        assertTrue(error.message!!.contains("checked nothing"), error.message)
    }

    private val balances = projection<Map<String, Long>, AccountEvent>(initial = emptyMap()) {
        on<Deposited> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) + e.amount) }
        on<Withdrawn> { model, e -> model + (e.accountId to (model[e.accountId] ?: 0) - e.amount) }
    }

    @Test
    fun projectionScenarioPasses() {
        balances given {
            event(Opened("a"))
            event(Deposited("a", 5))
            event(Deposited("b", 2))
            event(Withdrawn("a", 1))
        } then {
            model(mapOf("a" to 4L, "b" to 2L))
        }
        balances.given(from = mapOf("a" to 10L)) { event(Deposited("a", 1)) } then {
            model { assertEquals(11L, it["a"]) }
        }
    }

    @Test
    fun projectionScenarioFailsWithTheEventsAndBothModels() {
        val error = assertThrows<AssertionError> {
            balances given { event(Deposited("a", 5)) } then { model(mapOf("a" to 6L)) }
        }
        val message = error.message!!
        assertTrue(message.contains("1. Deposited(accountId=a, amount=5)"), message)
        assertTrue(message.contains("expected read model: {a=6}"), message)
        assertTrue(message.contains("actual read model: {a=5}"), message)
    }
}
