package dev.eskit.kotlin

import dev.eskit.command.CommandBus
import dev.eskit.command.CommandContext
import dev.eskit.command.CommandHandler
import dev.eskit.command.CommandResult
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * A [CommandHandler] for coroutines: [handle] suspends while the handler loads, decides and appends on
 * [dispatcher] ([Dispatchers.IO] by default).
 *
 * ```kotlin
 * val accounts = CommandHandler.of(store, accountDecider, "account").asCoroutineHandler()
 * val result = withMetadata(Metadata.correlatedBy(requestId)) { accounts.handle("a-1", Deposit("a-1", 500)) }
 * ```
 *
 * Without an explicit [CommandContext], a command gets a fresh command id and the metadata of the calling
 * coroutine's [MetadataContext]. Retries on conflicts ([dev.eskit.Retry]) wait on the dispatcher's
 * thread, as the blocking handler does. On cancellation, see [CoroutineEventStore].
 *
 * @property blocking the wrapped handler
 * @property dispatcher where the blocking calls run
 */
public class CoroutineCommandHandler<S, C, E>(
    public val blocking: CommandHandler<S, C, E>,
    public val dispatcher: CoroutineDispatcher = Dispatchers.IO,
) {
    /**
     * Handles [command] for the stream [streamId] of this handler's stream type.
     *
     * @param context the command's id, metadata and idempotency key; by default a fresh id and [currentMetadata]
     * @throws dev.eskit.ConcurrencyException when the stream kept changing for every attempt allowed
     */
    public suspend fun handle(streamId: String, command: C, context: CommandContext? = null): CommandResult<S, E> {
        val resolved = context ?: CommandContext.of(currentMetadata())
        return withContext(dispatcher) { blocking.handle(streamId, command, resolved) }
    }
}

/** Wraps this handler for coroutines; it runs on [dispatcher]. */
public fun <S, C, E> CommandHandler<S, C, E>.asCoroutineHandler(
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): CoroutineCommandHandler<S, C, E> = CoroutineCommandHandler(this, dispatcher)

/**
 * A [CommandBus] for coroutines: [send] suspends while the command is routed, decided and appended on
 * [dispatcher] ([Dispatchers.IO] by default).
 *
 * ```kotlin
 * val commands = CommandBus.builder(store).register(routes).build().asCoroutineBus()
 * withMetadata(Metadata.correlatedBy(requestId).withInitiator(user)) {
 *     commands.send(Deposit("a-1", 500))
 * }
 * ```
 *
 * Without an explicit [CommandContext], a command gets a fresh command id and the metadata of the calling
 * coroutine's [MetadataContext].
 *
 * @property blocking the wrapped bus
 * @property dispatcher where the blocking calls run
 */
public class CoroutineCommandBus(
    public val blocking: CommandBus,
    public val dispatcher: CoroutineDispatcher = Dispatchers.IO,
) {
    /**
     * Sends [command] to the decider its class is routed to.
     *
     * @param context the command's id, metadata and idempotency key; by default a fresh id and [currentMetadata]
     * @throws dev.eskit.UnknownCommandException when no route is registered for the command's class
     */
    public suspend fun send(command: Any, context: CommandContext? = null): CommandResult<*, *> {
        val resolved = context ?: CommandContext.of(currentMetadata())
        return withContext(dispatcher) { blocking.send(command, resolved) }
    }
}

/** Wraps this bus for coroutines; it runs on [dispatcher]. */
public fun CommandBus.asCoroutineBus(dispatcher: CoroutineDispatcher = Dispatchers.IO): CoroutineCommandBus =
    CoroutineCommandBus(this, dispatcher)
