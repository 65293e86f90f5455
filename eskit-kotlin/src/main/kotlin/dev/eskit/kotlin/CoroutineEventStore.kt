package dev.eskit.kotlin

import dev.eskit.AppendRequest
import dev.eskit.AppendResult
import dev.eskit.EventStore
import dev.eskit.ExpectedVersion
import dev.eskit.Metadata
import dev.eskit.Position
import dev.eskit.StoredEvent
import dev.eskit.StreamRef
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.withContext
import kotlin.time.Duration

/**
 * An [EventStore] for coroutines: every operation is a `suspend` function that runs the blocking store call on
 * [dispatcher] ([Dispatchers.IO] by default), and the global log is a [Flow].
 *
 * ```kotlin
 * val events = store.asCoroutineStore()
 * withMetadata(Metadata.correlatedBy("req-7")) {
 *     events.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), listOf(Opened("a-1")))
 * }
 * events.readAllFlow().collect { println(it.data) }
 * ```
 *
 * Appends without metadata of their own take the [MetadataContext] of the calling coroutine.
 *
 * Cancellation: a blocking call that has started runs to its end (a store call is not interruptible halfway); the
 * coroutine then ends with a `CancellationException`, even if an append it was waiting for succeeded. Give appends
 * that must not be doubled an idempotency key, and retry them with the same key.
 *
 * @property blocking the wrapped store
 * @property dispatcher where the blocking calls run
 */
public class CoroutineEventStore(
    public val blocking: EventStore,
    public val dispatcher: CoroutineDispatcher = Dispatchers.IO,
) {

    /**
     * Appends the request's events atomically. When the request has no metadata (it is empty), the current
     * [MetadataContext]'s metadata is stored instead. See [EventStore.append].
     */
    public suspend fun append(request: AppendRequest): AppendResult {
        val withMetadata = if (request.metadata().isEmpty) request.withMetadata(currentMetadata()) else request
        return withContext(dispatcher) { blocking.append(withMetadata) }
    }

    /**
     * Appends [events] to [stream] if its version matches [expected], with [metadata] (by default the current
     * [MetadataContext]'s). See [EventStore.append].
     */
    public suspend fun append(
        stream: StreamRef,
        expected: ExpectedVersion,
        events: List<Any>,
        metadata: Metadata? = null,
    ): AppendResult {
        val request = AppendRequest.of(stream, expected, events).withMetadata(metadata ?: currentMetadata())
        return withContext(dispatcher) { blocking.append(request) }
    }

    /** The events of [stream] from [fromVersion] on, in version order. See [EventStore.load]. */
    public suspend fun load(stream: StreamRef, fromVersion: Long = 1): List<StoredEvent<Any>> {
        EventStore.checkFromVersion(fromVersion)
        return withContext(dispatcher) { blocking.load(stream, fromVersion) }
    }

    /** The version of the last event of [stream], 0 when it has none. See [EventStore.streamVersion]. */
    public suspend fun streamVersion(stream: StreamRef): Long = withContext(dispatcher) { blocking.streamVersion(stream) }

    /** One page of the global log: up to [limit] events after [after]. See [EventStore.readAll]. */
    public suspend fun readAll(
        after: Position = Position.START,
        limit: Int = DEFAULT_PAGE_SIZE,
        eventTypes: Set<String> = emptySet(),
    ): List<StoredEvent<Any>> {
        EventStore.checkReadLimit(limit)
        return withContext(dispatcher) { blocking.readAll(after, limit, eventTypes) }
    }

    /** The global log from [after] to its current end, read in pages; see [EventStore.readAllFlow]. */
    public fun readAllFlow(
        after: Position = Position.START,
        pageSize: Int = DEFAULT_PAGE_SIZE,
        eventTypes: Set<String> = emptySet(),
    ): Flow<StoredEvent<Any>> = blocking.readAllFlow(after, pageSize, eventTypes, dispatcher)

    /** The global log from [after] on, waiting for new events; see [EventStore.followAllFlow]. */
    public fun followAllFlow(
        after: Position = Position.START,
        pageSize: Int = DEFAULT_PAGE_SIZE,
        eventTypes: Set<String> = emptySet(),
        pollInterval: Duration = DEFAULT_POLL_INTERVAL,
    ): Flow<StoredEvent<Any>> = blocking.followAllFlow(after, pageSize, eventTypes, pollInterval, dispatcher)
}

/** Wraps this store for coroutines; its blocking calls run on [dispatcher]. */
public fun EventStore.asCoroutineStore(dispatcher: CoroutineDispatcher = Dispatchers.IO): CoroutineEventStore =
    CoroutineEventStore(this, dispatcher)
