package dev.eskit.kotlin

import dev.eskit.EventStore
import dev.eskit.InvalidInputException
import dev.eskit.Position
import dev.eskit.StoredEvent
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/** The page size the log flows read with unless told otherwise. */
public const val DEFAULT_PAGE_SIZE: Int = 500

/** How long [followAllFlow] waits before it looks for new events again, unless told otherwise. */
public val DEFAULT_POLL_INTERVAL: Duration = 500.milliseconds

/**
 * The global log from [after] (exclusive) to its end, as a cold [Flow]: each collection reads pages of [pageSize]
 * events with [EventStore.readAll] on [dispatcher] and completes when a page comes back short, which is the end of
 * the log at that moment. Only the current page is held in memory; the collector's speed sets the pace.
 *
 * ```kotlin
 * store.readAllFlow(eventTypes = setOf("bank.Deposited")).collect { deposit -> ... }
 * ```
 *
 * @param eventTypes wire names to keep; empty for every type
 * @throws dev.eskit.InvalidReadLimitException (here, not on collection) when [pageSize] is out of range
 */
public fun EventStore.readAllFlow(
    after: Position = Position.START,
    pageSize: Int = DEFAULT_PAGE_SIZE,
    eventTypes: Set<String> = emptySet(),
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): Flow<StoredEvent<Any>> {
    EventStore.checkReadLimit(pageSize)
    val types = eventTypes.toSet()
    val store = this
    return flow {
        var position = after
        while (true) {
            val page = withContext(dispatcher) { store.readAll(position, pageSize, types) }
            for (event in page) {
                emit(event)
            }
            if (page.size < pageSize) break
            position = page.last().position()
        }
    }
}

/**
 * The global log from [after] (exclusive) on, never completing: reads pages like [readAllFlow], and once it has
 * caught up, looks again every [pollInterval]. Cancelling the collecting coroutine stops it cleanly: it never starts
 * another read after cancellation, and a read in progress finishes first (a store call is not interrupted).
 *
 * ```kotlin
 * val job = launch { store.followAllFlow(after = checkpoint).collect { handle(it) } }
 * ...
 * job.cancelAndJoin()
 * ```
 *
 * This polls [EventStore.readAll]; checkpointed subscriptions with wake-ups belong to the subscription API.
 *
 * @throws dev.eskit.InvalidReadLimitException (here) when [pageSize] is out of range
 * @throws InvalidInputException (here) when [pollInterval] is not positive
 */
public fun EventStore.followAllFlow(
    after: Position = Position.START,
    pageSize: Int = DEFAULT_PAGE_SIZE,
    eventTypes: Set<String> = emptySet(),
    pollInterval: Duration = DEFAULT_POLL_INTERVAL,
    dispatcher: CoroutineDispatcher = Dispatchers.IO,
): Flow<StoredEvent<Any>> {
    EventStore.checkReadLimit(pageSize)
    if (!pollInterval.isPositive() || pollInterval.isInfinite()) {
        throw InvalidInputException(
            "Poll interval $pollInterval is not a positive, finite duration. Use something like 500.milliseconds.",
        )
    }
    val types = eventTypes.toSet()
    val store = this
    return flow {
        var position = after
        while (true) {
            val page = withContext(dispatcher) { store.readAll(position, pageSize, types) }
            for (event in page) {
                emit(event)
            }
            if (page.isNotEmpty()) position = page.last().position()
            if (page.size < pageSize) delay(pollInterval)
        }
    }
}
