package dev.eskit.kotlin

import dev.eskit.Metadata
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext

/**
 * Carries event [Metadata] (correlation, causation, initiator, originator, extras) in a coroutine's context, so that
 * the events appended or caused by commands sent anywhere below it get that metadata without passing it by hand.
 *
 * ```kotlin
 * withContext(MetadataContext(Metadata.correlatedBy(requestId).withInitiator(userId))) {
 *     bus.send(Deposit("a-1", 500))   // its events carry the request id and the user
 * }
 * ```
 *
 * [CoroutineEventStore], [CoroutineCommandHandler] and [CoroutineCommandBus] read it; an explicit metadata argument
 * or [dev.eskit.command.CommandContext] wins over it. It is inherited by child coroutines like any context element.
 *
 * @property metadata the metadata for events written in this context
 */
public class MetadataContext(public val metadata: Metadata) : AbstractCoroutineContextElement(Key) {

    /** The key of [MetadataContext] in a [CoroutineContext]. */
    public companion object Key : CoroutineContext.Key<MetadataContext>

    override fun toString(): String = "MetadataContext($metadata)"
}

/**
 * The metadata of the current coroutine's [MetadataContext], or [Metadata.empty] when there is none.
 */
public suspend fun currentMetadata(): Metadata = currentCoroutineContext()[MetadataContext]?.metadata ?: Metadata.empty()

/**
 * Runs [block] with [metadata] as the current event metadata; shorthand for
 * `withContext(MetadataContext(metadata), block)`.
 */
public suspend fun <T> withMetadata(metadata: Metadata, block: suspend CoroutineScope.() -> T): T =
    withContext(MetadataContext(metadata), block)

/**
 * Runs [block] with the current event metadata changed by [change], such as
 * `withMetadata({ it.withInitiator(user) }) { ... }`.
 */
public suspend fun <T> withMetadata(change: (Metadata) -> Metadata, block: suspend CoroutineScope.() -> T): T =
    withContext(MetadataContext(change(currentMetadata())), block)
