package dev.eskit.kotlin

import dev.eskit.codec.EventTypes

// A counter: objects as commands and events.
sealed interface CounterCommand
data object Increment : CounterCommand
data class Add(val amount: Int) : CounterCommand
data object Reset : CounterCommand

sealed interface CounterEvent
data object Incremented : CounterEvent
data class Added(val amount: Int) : CounterEvent
data object WasReset : CounterEvent

val counter = decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
    decide<Increment> { _, _ -> listOf(Incremented) }
    decide<Add> { _, command ->
        require(command.amount > 0) { "amount must be positive" }
        listOf(Added(command.amount))
    }
    evolve<Incremented> { state, _ -> state + 1 }
    evolve<Added> { state, event -> state + event.amount }
}

// A bank account: data classes, a domain error.
sealed interface AccountCommand { val accountId: String }
data class Open(override val accountId: String) : AccountCommand
data class Deposit(override val accountId: String, val amount: Long) : AccountCommand
data class Withdraw(override val accountId: String, val amount: Long) : AccountCommand

sealed interface AccountEvent { val accountId: String }
data class Opened(override val accountId: String) : AccountEvent
data class Deposited(override val accountId: String, val amount: Long) : AccountEvent
data class Withdrawn(override val accountId: String, val amount: Long) : AccountEvent

data class Account(val open: Boolean = false, val balance: Long = 0)

class InsufficientFunds(needed: Long) : RuntimeException("insufficient funds: $needed needed")

val account = decider<Account, AccountCommand, AccountEvent>(initialState = Account()) {
    decide<Open> { state, command ->
        check(!state.open) { "already open" }
        listOf(Opened(command.accountId))
    }
    decide<Deposit> { _, command -> listOf(Deposited(command.accountId, command.amount)) }
    decide<Withdraw> { state, command ->
        if (command.amount > state.balance) throw InsufficientFunds(command.amount - state.balance)
        listOf(Withdrawn(command.accountId, command.amount))
    }
    evolve<Opened> { state, _ -> state.copy(open = true) }
    evolve<Deposited> { state, event -> state.copy(balance = state.balance + event.amount) }
    evolve<Withdrawn> { state, event -> state.copy(balance = state.balance - event.amount) }
}

val testTypes: EventTypes = EventTypes.builder()
    .add("counter.Incremented", Incremented::class.java)
    .add("counter.Added", Added::class.java)
    .add("counter.WasReset", WasReset::class.java)
    .add("bank.Opened", Opened::class.java)
    .add("bank.Deposited", Deposited::class.java)
    .add("bank.Withdrawn", Withdrawn::class.java)
    .build()
