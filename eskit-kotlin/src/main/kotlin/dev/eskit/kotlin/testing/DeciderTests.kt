package dev.eskit.kotlin.testing

import dev.eskit.Decider
import dev.eskit.kotlin.EskitDsl
import dev.eskit.testing.DeciderSpec

/**
 * Starts a Given/When/Then scenario for this decider from past events.
 *
 * ```kotlin
 * counter given { event(Incremented) } whenever { Increment } then {
 *     events(Incremented)
 *     state(2)
 * }
 * ```
 *
 * Failures are [AssertionError]s with a diff of expected and actual events, so JUnit 5 and kotlin-test report them
 * like their own. The scenario runs on [DeciderSpec]; this is its Kotlin face.
 */
public infix fun <S, C, E> Decider<S, C, E>.given(block: GivenEvents<E>.() -> Unit): GivenDecider<S, C, E> =
    GivenDecider(this, GivenEvents<E>().apply(block).events)

/** Decides [command] on a stream without events: `counter whenever { Increment } then { ... }`. */
public infix fun <S, C, E> Decider<S, C, E>.whenever(command: () -> C): DecidedCommand<S, C, E> =
    GivenDecider(this, emptyList()).whenever(command)

/**
 * The scope of a `given { }` block: the past events of a scenario, in order.
 *
 * @param E the event type
 */
@EskitDsl
public class GivenEvents<E> internal constructor() {
    internal val events: MutableList<E> = ArrayList()

    /** Adds one past event. */
    public fun event(event: E) {
        events.add(event)
    }

    /** Adds past events, in order. */
    public fun events(vararg events: E) {
        this.events.addAll(events)
    }

    /** Adds past events, in order. */
    public fun events(events: Iterable<E>) {
        this.events.addAll(events)
    }
}

/**
 * A decider with past events, waiting for the command of the scenario.
 *
 * @param S the state type
 * @param C the command type
 * @param E the event type
 */
public class GivenDecider<S, C, E> internal constructor(
    private val decider: Decider<S, C, E>,
    private val history: List<E>,
) {
    /** The state folded from the past events, for checks on `evolve` alone. */
    public val state: S get() = DeciderSpec.of(decider).given(history).state()

    /** Decides the command that [command] returns on the state folded from the past events. */
    public infix fun whenever(command: () -> C): DecidedCommand<S, C, E> =
        DecidedCommand(DeciderSpec.of(decider).given(history).`when`(command()))
}

/**
 * A decided command, waiting for the expectations of `then { }`.
 *
 * @param S the state type
 * @param C the command type
 * @param E the event type
 */
public class DecidedCommand<S, C, E> internal constructor(private val outcome: DeciderSpec.Outcome<S, C, E>) {

    /** The events decided (empty when `decide` threw). */
    public val events: List<E> get() = outcome.events()

    /** The state after the decided events. */
    public val state: S get() = outcome.state()

    /**
     * Decides the command that [command] returns next, on the past events plus those decided here (a rejected
     * command adds none): `counter whenever { Increment } then { ... } whenever { Increment } then { ... }`.
     */
    public infix fun whenever(command: () -> C): DecidedCommand<S, C, E> = DecidedCommand(outcome.`when`(command()))

    /**
     * Checks the outcome with the expectations in [block]; the first that does not hold throws an [AssertionError].
     *
     * @throws AssertionError when an expectation fails, or when [block] states none
     */
    public infix fun then(block: Expectations<S, C, E>.() -> Unit): DecidedCommand<S, C, E> {
        val expectations = Expectations(outcome)
        expectations.block()
        if (expectations.checks == 0) {
            throw AssertionError("then { } checked nothing. Add events(...), noEvents(), state(...) or throws<...>().")
        }
        return this
    }
}

/**
 * The scope of a decider scenario's `then { }` block.
 *
 * @param S the state type
 * @param C the command type
 * @param E the event type
 */
@EskitDsl
public class Expectations<S, C, E> internal constructor(
    private val outcome: DeciderSpec.Outcome<S, C, E>,
) {
    internal var checks: Int = 0

    /** Expects exactly these events, in this order. */
    public fun events(vararg expected: E) {
        checks++
        outcome.then(expected.toList())
    }

    /** Expects exactly these events, in this order. */
    public fun events(expected: List<E>) {
        checks++
        outcome.then(expected)
    }

    /** Expects the command to be accepted without events. */
    public fun noEvents() {
        checks++
        outcome.thenNoEvents()
    }

    /** Expects the state after the new events to equal [expected]. */
    public fun state(expected: S) {
        checks++
        outcome.thenState(expected)
    }

    /** Runs your own assertions on the state after the new events. */
    public fun state(assertions: (S) -> Unit) {
        checks++
        outcome.thenState { assertions(it) }
    }

    /**
     * Expects `decide` to throw a [T] (or a subtype), whose message contains [messageContains] when it is given.
     *
     * ```kotlin
     * account given { event(Opened("a")) } whenever { Withdraw("a", 9) } then { throws<InsufficientFunds>() }
     * ```
     */
    public inline fun <reified T : Throwable> throws(messageContains: String? = null) {
        throws(T::class.java, messageContains)
    }

    /** The `Class`-taking form of [throws]. */
    public fun throws(type: Class<out Throwable>, messageContains: String? = null) {
        checks++
        if (messageContains == null) outcome.thenError(type) else outcome.thenError(type, messageContains)
    }
}

/**
 * The importable form of [DecidedCommand.then]: `import dev.eskit.kotlin.testing.then` next to `given` and
 * `whenever` compiles, and calls the member.
 */
@Suppress("EXTENSION_SHADOWED_BY_MEMBER")
public infix fun <S, C, E> DecidedCommand<S, C, E>.then(block: Expectations<S, C, E>.() -> Unit): DecidedCommand<S, C, E> =
    this.then(block)

/** The importable form of [DecidedCommand.whenever], for `import dev.eskit.kotlin.testing.whenever` alone. */
@Suppress("EXTENSION_SHADOWED_BY_MEMBER")
public infix fun <S, C, E> DecidedCommand<S, C, E>.whenever(command: () -> C): DecidedCommand<S, C, E> =
    this.whenever(command)
