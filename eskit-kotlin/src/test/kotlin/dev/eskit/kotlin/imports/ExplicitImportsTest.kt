package dev.eskit.kotlin.imports

import dev.eskit.command.CommandBus
import dev.eskit.kotlin.Account
import dev.eskit.kotlin.Deposit
import dev.eskit.kotlin.Deposited
import dev.eskit.kotlin.Open
import dev.eskit.kotlin.Opened
import dev.eskit.kotlin.Withdraw
import dev.eskit.kotlin.Withdrawn
import dev.eskit.kotlin.account
import dev.eskit.kotlin.routes
import dev.eskit.kotlin.testTypes
import dev.eskit.kotlin.testing.given
import dev.eskit.kotlin.testing.then
import dev.eskit.kotlin.testing.whenever
import dev.eskit.EventStore
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The test DSL and the routes helper used with explicit imports, as the docs show them, from another package. */
class ExplicitImportsTest {

    @Test
    fun givenWheneverThenImportOneByOneAndChain() {
        account given { event(Opened("a")) } whenever { Deposit("a", 10) } then {
            events(Deposited("a", 10))
        } whenever { Withdraw("a", 4) } then {
            events(Withdrawn("a", 4))
            state(Account(open = true, balance = 6))
        }
    }

    @Test
    fun routesRegisterEveryCommandOfADecider() {
        val routes = routes(account, "account") {
            route<Open> { it.accountId }
            route<Deposit> { it.accountId }
            route<Withdraw> { it.accountId }
        }
        assertEquals(listOf(Open::class.java, Deposit::class.java, Withdraw::class.java), routes.map { it.commandType() })
        EventStore.inMemory(testTypes).use { store ->
            val bus = CommandBus.builder(store).register(routes).build()
            bus.send(Open("a"))
            bus.send(Deposit("a", 7))
            val result = bus.send(Withdraw("a", 2))
            assertEquals(5L, result.state(Account::class.java).balance)
            assertEquals(listOf(Withdrawn("a", 2)), result.eventData(Withdrawn::class.java))
        }
    }
}
