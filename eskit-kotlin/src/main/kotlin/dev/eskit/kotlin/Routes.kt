package dev.eskit.kotlin

import dev.eskit.Decider
import dev.eskit.command.CommandRoute

/**
 * The command routes of [decider] on streams of [streamType], one per `route<Command> { it.streamId }`, for
 * `CommandBus.builder(store).register(...)`.
 *
 * ```kotlin
 * val bus = CommandBus.builder(store)
 *     .register(routes(account, "account") {
 *         route<Open> { it.accountId }
 *         route<Deposit> { it.accountId }
 *     })
 *     .build()
 * ```
 */
public fun <S, C : Any, E> routes(
    decider: Decider<S, C, E>,
    streamType: String,
    block: RoutesScope<S, C, E>.() -> Unit,
): List<CommandRoute<S, C, E>> = RoutesScope(decider, streamType).apply(block).routes.toList()

/**
 * The scope of a `routes(decider, streamType) { }` block.
 *
 * @param S the state type
 * @param C the command type
 * @param E the event type
 */
@EskitDsl
public class RoutesScope<S, C : Any, E> internal constructor(
    private val decider: Decider<S, C, E>,
    private val streamType: String,
) {
    internal val routes: MutableList<CommandRoute<S, C, E>> = ArrayList()

    /** Routes commands of class [K] to the decider, on the stream whose id [streamId] reads from the command. */
    public inline fun <reified K : C> route(noinline streamId: (K) -> String) {
        route(K::class.java, streamId)
    }

    /** The `Class`-taking form of [route]. */
    public fun <K : C> route(type: Class<K>, streamId: (K) -> String) {
        routes.add(CommandRoute.of(type, streamType, streamId, decider))
    }
}
