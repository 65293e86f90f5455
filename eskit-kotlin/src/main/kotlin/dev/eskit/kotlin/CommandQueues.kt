package dev.eskit.kotlin

import dev.eskit.command.CommandContext
import dev.eskit.command.queue.CommandQueue
import dev.eskit.command.queue.QueueResult
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.future.await
import kotlinx.coroutines.withContext

/**
 * Enqueues [command] on the durable queue from a coroutine: the insert runs on [dispatcher] ([Dispatchers.IO] by
 * default); returns the command id at once, before any worker ran it.
 *
 * ```kotlin
 * val id = withMetadata(Metadata.correlatedBy(requestId)) { queue.enqueueCommand(Deposit("a-1", 500)) }
 * val result = queue.awaitResult(id)
 * ```
 *
 * @param context the command's id and metadata; by default a fresh id and [currentMetadata]
 * @param partitionKey commands with one key run one at a time in enqueue order; `null` for the queue's default
 * @throws dev.eskit.UnknownCommandException when the command has no command type or no route; nothing is stored
 */
public suspend fun CommandQueue.enqueueCommand(
    command: Any,
    context: CommandContext? = null,
    partitionKey: String? = null,
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): String {
    val resolved = context ?: CommandContext.of(currentMetadata())
    return withContext(dispatcher) { enqueue(command, resolved, partitionKey) }
}

/**
 * Suspends until queued command [id] is final and returns its outcome ([QueueResult.succeeded], or the status and
 * error of a rejected or dead command). Cancelling the coroutine stops the wait, not the command.
 */
public suspend fun CommandQueue.awaitResult(id: String): QueueResult = await(id).await()
