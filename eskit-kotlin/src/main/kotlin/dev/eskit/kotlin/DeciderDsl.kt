package dev.eskit.kotlin

import dev.eskit.Decider
import dev.eskit.UnknownCommandException

/**
 * Builds a [Decider] from one `decide` handler per command class and one `evolve` handler per event class.
 *
 * ```kotlin
 * val counter = decider<Int, CounterCommand, CounterEvent>(initialState = 0) {
 *     decide<Increment> { _, _ -> listOf(Incremented) }
 *     evolve<Incremented> { state, _ -> state + 1 }
 * }
 * ```
 *
 * Dispatch is a table built once: the exact class of a command or event selects its handler with one map lookup; a
 * class without a handler of its own uses the most specific handler registered for one of its supertypes (found once
 * per class, then cached). No reflection is involved.
 *
 * - Two handlers for one class fail here, with a [DeciderDefinitionException] naming the class.
 * - A command without a handler fails in [Decider.decide] with an [UnknownCommandException] naming its class.
 * - An event without a handler fails in [Decider.evolve] with an [UnhandledEventException], unless the block calls
 *   [DeciderBuilder.ignoreUnhandledEvents], in which case such events leave the state unchanged.
 *
 * @param initialState the state of a stream without events; share it only if it is immutable
 * @param block the handlers
 */
public inline fun <S, reified C : Any, reified E : Any> decider(
    initialState: S,
    noinline block: DeciderBuilder<S, C, E>.() -> Unit,
): Decider<S, C, E> = decider(C::class.java, E::class.java, initialState, block)

/**
 * Builds a [Decider] for commands of [commandType] and events of [eventType]; the `Class`-taking form of
 * [decider], for callers that have the classes at hand.
 */
public fun <S, C : Any, E : Any> decider(
    commandType: Class<C>,
    eventType: Class<E>,
    initialState: S,
    block: DeciderBuilder<S, C, E>.() -> Unit,
): Decider<S, C, E> = DeciderBuilder<S, C, E>(commandType, eventType).apply(block).build(initialState)

/**
 * The scope of a `decider { }` block: register one `decide` handler per command class and one `evolve` handler per
 * event class.
 */
@EskitDsl
public class DeciderBuilder<S, C : Any, E : Any> internal constructor(
    private val commandType: Class<C>,
    private val eventType: Class<E>,
) {
    private val deciders = HandlerCollector<(S, Any) -> List<E>>("decide")
    private val evolvers = HandlerCollector<(S, Any) -> S>("evolve")
    private var ignoreUnhandled = false
    private var immutable = false

    /**
     * Decides commands of class [T] (and of its subclasses that have no handler of their own).
     *
     * ```kotlin
     * decide<Withdraw> { state, command ->
     *     if (command.amount > state.balance) throw InsufficientFunds(command.amount)
     *     listOf(Withdrawn(command.accountId, command.amount))
     * }
     * ```
     *
     * @throws DeciderDefinitionException when [T] already has a decide handler
     */
    public inline fun <reified T : C> decide(noinline handler: (state: S, command: T) -> List<E>) {
        decide(T::class.java, handler)
    }

    /** The `Class`-taking form of [decide]. */
    public fun <T : C> decide(type: Class<T>, handler: (state: S, command: T) -> List<E>) {
        @Suppress("UNCHECKED_CAST")
        deciders.add(type, handler as (S, Any) -> List<E>)
    }

    /**
     * Applies events of class [T] (and of its subclasses that have no handler of their own) to the state.
     *
     * ```kotlin
     * evolve<Deposited> { state, event -> state.copy(balance = state.balance + event.amount) }
     * ```
     *
     * @throws DeciderDefinitionException when [T] already has an evolve handler
     */
    public inline fun <reified T : E> evolve(noinline handler: (state: S, event: T) -> S) {
        evolve(T::class.java, handler)
    }

    /** The `Class`-taking form of [evolve]. */
    public fun <T : E> evolve(type: Class<T>, handler: (state: S, event: T) -> S) {
        @Suppress("UNCHECKED_CAST")
        evolvers.add(type, handler as (S, Any) -> S)
    }

    /**
     * Lets events without an `evolve` handler leave the state unchanged, instead of failing with an
     * [UnhandledEventException]. Use it for deciders whose state ignores some of their own events (notifications,
     * audit events); the default is strict, so a forgotten handler shows up as an error rather than a silently
     * wrong state.
     */
    public fun ignoreUnhandledEvents() {
        ignoreUnhandled = true
    }

    /**
     * Declares that no handler changes a state in place: every `evolve` returns a new state (`state.copy(...)`,
     * `state.items + item`) and leaves the one it was given as it was, as idiomatic Kotlin does. Command handlers then
     * cache this decider's states by default ([Decider.immutableStates]), as they do a generated decider's whose
     * state type the annotation processor proves immutable; without it they cache only when asked
     * (`cacheStates(n)`). The compiler cannot check the promise: a cached state is shared between commands and
     * threads as it is, so an `evolve` that adds to a `MutableList` in the state would be silently wrong.
     *
     * ```kotlin
     * decider<Cart, CartCommand, CartEvent>(Cart()) {
     *     immutableStates()
     *     evolve<ItemAdded> { state, event -> state.copy(items = state.items + event.sku) }
     * }
     * ```
     */
    public fun immutableStates() {
        immutable = true
    }

    internal fun build(initialState: S): Decider<S, C, E> = DslDecider(
        initialState,
        commandType,
        eventType,
        deciders.build("decide"),
        evolvers.build("evolve"),
        ignoreUnhandled,
        immutable,
    )
}

/** The decider a `decider { }` block builds. */
internal class DslDecider<S, C : Any, E : Any>(
    private val initial: S,
    private val commandType: Class<C>,
    private val eventType: Class<E>,
    private val deciders: DispatchTable<(S, Any) -> List<E>>,
    private val evolvers: DispatchTable<(S, Any) -> S>,
    private val ignoreUnhandled: Boolean,
    private val immutable: Boolean = false,
) : Decider<S, C, E> {

    override fun initialState(): S = initial

    override fun immutableStates(): Boolean = immutable

    override fun decide(state: S, command: C): List<E> {
        val handler = deciders.find(command.javaClass) ?: throw UnknownCommandException(
            "No decide handler for command ${command.javaClass.name} in the decider of ${commandType.name}. Add" +
                " decide<${command.javaClass.simpleName}> { state, command -> ... } to its decider { } block." +
                " It handles: ${names(deciders.types)}.",
        )
        return handler(state, command)
    }

    override fun evolve(state: S, event: E): S {
        val handler = evolvers.find(event.javaClass)
        if (handler == null) {
            if (ignoreUnhandled) return state
            throw UnhandledEventException(
                "No evolve handler for event ${event.javaClass.name} in the decider of ${eventType.name}. Add" +
                    " evolve<${event.javaClass.simpleName}> { state, event -> ... } to its decider { } block, or" +
                    " call ignoreUnhandledEvents() there if such events leave the state unchanged." +
                    " It evolves: ${names(evolvers.types)}.",
            )
        }
        return handler(state, event)
    }

    override fun toString(): String =
        "Decider(${commandType.simpleName} -> ${eventType.simpleName}, decides ${names(deciders.types)}," +
            " evolves ${names(evolvers.types)})"
}

internal fun names(types: List<Class<*>>): String =
    if (types.isEmpty()) "nothing" else types.joinToString { it.simpleName.ifEmpty { it.name } }
