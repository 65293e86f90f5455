package dev.eskit.kotlin

import dev.eskit.Position
import dev.eskit.change.ChangeNotifier
import dev.eskit.change.ChangeSignal
import dev.eskit.change.Topic
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The changes of [topics] as a cold [Flow]: each collection subscribes (resuming after [after] when given, see
 * [ChangeNotifier.subscribe]), emits [dev.eskit.change.Change]s and [dev.eskit.change.Resync]s in publishing order,
 * and closes its subscription when the collector stops. The collector suspends, it never blocks a thread; one that
 * falls more than [capacity] signals behind gets a [dev.eskit.change.Resync] and should reload what it shows.
 *
 * ```kotlin
 * changes.changesFlow(listOf(Topic.of("balances", "alice"))).collect { signal ->
 *     when (signal) {
 *         is Change -> refresh(signal.keys())
 *         is Resync -> reloadEverything()
 *     }
 * }
 * ```
 *
 * @throws dev.eskit.InvalidInputException on collection, when [topics] is empty or [capacity] is below 1
 */
public fun ChangeNotifier.changesFlow(
    topics: Collection<Topic>,
    after: Position? = null,
    capacity: Int = ChangeNotifier.DEFAULT_BUFFER,
): Flow<ChangeSignal> = flow {
    val wake = Channel<Unit>(Channel.CONFLATED)
    val subscription = subscribe(topics, after, capacity)
    try {
        // Called on the publishing thread: only leaves a token, so a signal between poll() and receive() is not missed.
        subscription.onSignal { wake.trySend(Unit) }
        while (true) {
            val next = subscription.poll()
            if (next.isPresent) {
                emit(next.get())
            } else {
                wake.receive()
            }
        }
    } finally {
        subscription.close()
    }
}

/** The changes of [topics] as a cold [Flow]; see the `Collection` form. */
public fun ChangeNotifier.changesFlow(vararg topics: Topic): Flow<ChangeSignal> = changesFlow(topics.toList())
