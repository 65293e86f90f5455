package dev.eskit.kotlin

import dev.eskit.Decider
import dev.eskit.UnknownCommandException

/**
 * Composes two deciders over disjoint command and event types into one whose state is the pair of their states.
 * A command goes to the decider whose command type it has; an event evolves the half of the state whose decider
 * owns its type. Its states are immutable ([Decider.immutableStates], so command handlers cache them by default)
 * when both deciders' are, and checked one by one ([Decider.checksStates]: a pair is immutable when both halves are,
 * and copied half by half with [Decider.copyState]) when each decider's states are proven or checked.
 *
 * ```kotlin
 * val shop: Decider<Pair<Cart, Stock>, ShopCommand, ShopEvent> = cart combine stock
 * ```
 *
 * @throws DeciderDefinitionException when one decider's command (or event) type is a subtype of the other's, so a
 * command (or event) could not be told apart
 */
public inline infix fun <S1, reified C1 : C, reified E1 : E, S2, reified C2 : C, reified E2 : E, C : Any, E : Any>
    Decider<S1, C1, E1>.combine(other: Decider<S2, C2, E2>): Decider<Pair<S1, S2>, C, E> =
    combinePair(this, C1::class.java, E1::class.java, other, C2::class.java, E2::class.java)

/** The pair form of [combine]: a [Pair] of immutable states is immutable. */
@PublishedApi
internal fun <S1, C1 : C, E1 : E, S2, C2 : C, E2 : E, C : Any, E : Any> combinePair(
    firstDecider: Decider<S1, C1, E1>,
    firstCommands: Class<C1>,
    firstEvents: Class<E1>,
    secondDecider: Decider<S2, C2, E2>,
    secondCommands: Class<C2>,
    secondEvents: Class<E2>,
): Decider<Pair<S1, S2>, C, E> {
    checkDisjoint("command", firstCommands, secondCommands)
    checkDisjoint("event", firstEvents, secondEvents)
    return CombinedDecider(
        Part(firstDecider, firstCommands, firstEvents),
        Part(secondDecider, secondCommands, secondEvents),
        { first, second -> Pair(first, second) }, { it.first }, { it.second },
        pairs = true,
    )
}

/**
 * Composes two deciders over disjoint command and event types into one whose state is your own type, such as a
 * data class: [state] builds it from the two halves, [first] and [second] take them apart again.
 *
 * ```kotlin
 * data class Shop(val cart: Cart, val stock: Stock)
 * val shop: Decider<Shop, ShopCommand, ShopEvent> = cart.combine(stock, ::Shop, Shop::cart, Shop::stock)
 * ```
 *
 * @throws DeciderDefinitionException when one decider's command (or event) type is a subtype of the other's
 */
public inline fun <S1, reified C1 : C, reified E1 : E, S2, reified C2 : C, reified E2 : E, S, C : Any, E : Any>
    Decider<S1, C1, E1>.combine(
        other: Decider<S2, C2, E2>,
        noinline state: (S1, S2) -> S,
        noinline first: (S) -> S1,
        noinline second: (S) -> S2,
    ): Decider<S, C, E> =
    combine(this, C1::class.java, E1::class.java, other, C2::class.java, E2::class.java, state, first, second)

/**
 * The `Class`-taking form of [combine]: composes [firstDecider] (commands of [firstCommands], events of
 * [firstEvents]) and [secondDecider] into one decider whose state [state] assembles from the two halves and
 * [first] and [second] take apart.
 *
 * At run time a command of neither command type fails with an [UnknownCommandException]; an event of neither event
 * type fails with an [UnhandledEventException]; an object that has both types (a class implementing both
 * interfaces) fails with a [DeciderDefinitionException].
 *
 * @throws DeciderDefinitionException when the two command types, or the two event types, overlap
 */
public fun <S1, C1 : C, E1 : E, S2, C2 : C, E2 : E, S, C : Any, E : Any> combine(
    firstDecider: Decider<S1, C1, E1>,
    firstCommands: Class<C1>,
    firstEvents: Class<E1>,
    secondDecider: Decider<S2, C2, E2>,
    secondCommands: Class<C2>,
    secondEvents: Class<E2>,
    state: (S1, S2) -> S,
    first: (S) -> S1,
    second: (S) -> S2,
): Decider<S, C, E> {
    checkDisjoint("command", firstCommands, secondCommands)
    checkDisjoint("event", firstEvents, secondEvents)
    return CombinedDecider(
        Part(firstDecider, firstCommands, firstEvents),
        Part(secondDecider, secondCommands, secondEvents),
        state, first, second,
    )
}

private fun checkDisjoint(kind: String, a: Class<*>, b: Class<*>) {
    if (a.isAssignableFrom(b) || b.isAssignableFrom(a)) {
        throw DeciderDefinitionException(
            "Cannot combine deciders whose $kind types overlap (${a.name} and ${b.name}): every $kind must belong" +
                " to exactly one of them. Give each decider its own sealed $kind interface.",
        )
    }
}

private class Part<S, C : Any, E : Any>(val decider: Decider<S, C, E>, val commands: Class<C>, val events: Class<E>)

private class CombinedDecider<S1, C1 : C, E1 : E, S2, C2 : C, E2 : E, S, C : Any, E : Any>(
    private val one: Part<S1, C1, E1>,
    private val two: Part<S2, C2, E2>,
    private val state: (S1, S2) -> S,
    private val first: (S) -> S1,
    private val second: (S) -> S2,
    // Whether S is a Pair of the two states: then it is as immutable as they are (any other S is not known).
    private val pairs: Boolean = false,
) : Decider<S, C, E> {

    override fun immutableStates(): Boolean =
        pairs && one.decider.immutableStates() && two.decider.immutableStates()

    // A pair of states each proven or checked is checked: immutable when both halves are, copied half by half.
    override fun checksStates(): Boolean =
        pairs && !immutableStates() && one.decider.provenOrChecked() && two.decider.provenOrChecked()

    override fun isImmutable(state: S): Boolean =
        if (checksStates()) {
            one.decider.isImmutable(first(state)) && two.decider.isImmutable(second(state))
        } else {
            immutableStates()
        }

    override fun copyState(state: S): S? {
        if (!checksStates()) return null
        val a = one.decider.copyOrSame(first(state)) ?: return null
        val b = two.decider.copyOrSame(second(state)) ?: return null
        return state(a.value, b.value)
    }

    override fun initialState(): S = state(one.decider.initialState(), two.decider.initialState())

    override fun decide(state: S, command: C): List<E> {
        val inOne = one.commands.isInstance(command)
        val inTwo = two.commands.isInstance(command)
        return when {
            inOne && inTwo -> throw ambiguous("command", command, one.commands, two.commands)
            inOne -> one.decider.decide(first(state), one.commands.cast(command))
            inTwo -> two.decider.decide(second(state), two.commands.cast(command))
            else -> throw UnknownCommandException(
                "Command ${command.javaClass.name} is neither a ${one.commands.name} nor a ${two.commands.name}," +
                    " so no decider of this combination handles it. Combine in the decider that does.",
            )
        }
    }

    override fun evolve(state: S, event: E): S {
        val inOne = one.events.isInstance(event)
        val inTwo = two.events.isInstance(event)
        return when {
            inOne && inTwo -> throw ambiguous("event", event, one.events, two.events)
            inOne -> state(one.decider.evolve(first(state), one.events.cast(event)), second(state))
            inTwo -> state(first(state), two.decider.evolve(second(state), two.events.cast(event)))
            else -> throw UnhandledEventException(
                "Event ${event.javaClass.name} is neither a ${one.events.name} nor a ${two.events.name}, so no" +
                    " decider of this combination evolves it. Combine in the decider that does.",
            )
        }
    }

    private fun ambiguous(kind: String, value: Any, a: Class<*>, b: Class<*>) = DeciderDefinitionException(
        "${value.javaClass.name} is both a ${a.name} and a ${b.name}, so the combined decider cannot tell which" +
            " decider owns this $kind. Let each $kind class implement only one decider's $kind type.",
    )
}

private fun Decider<*, *, *>.provenOrChecked(): Boolean = immutableStates() || checksStates()

/** One half of a combined state: itself when immutable, else its copy; `null` when it cannot be copied. */
private class Half<T>(val value: T)

private fun <T> Decider<T, *, *>.copyOrSame(state: T): Half<T>? =
    if (isImmutable(state)) Half(state) else copyState(state)?.let { Half(it) }
