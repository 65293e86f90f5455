package dev.eskit.kotlin

import dev.eskit.Position
import dev.eskit.change.Change
import dev.eskit.change.ChangeNotifier
import dev.eskit.change.ChangeSignal
import dev.eskit.change.Resync
import dev.eskit.change.Topic
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ChangeFlowsTest {

    private fun change(position: Long, key: String) = Change.of("balances", listOf(key), Position.of(position))

    @Test
    fun aFlowEmitsTheChangesOfItsTopicsPublishedOnOtherThreadsAndClosesItsSubscriptionAfterwards() = runBlocking {
        val notifier = ChangeNotifier.create()
        val publisher = Executors.newSingleThreadExecutor()
        try {
            val received = async(start = CoroutineStart.UNDISPATCHED) {
                withTimeout(20.seconds) { notifier.changesFlow(Topic.of("balances", "alice")).take(100).toList() }
            }
            // The flow subscribed when it started collecting (UNDISPATCHED runs it up to its first suspension).
            assertEquals(1, notifier.subscribers())
            publisher.submit {
                for (i in 1L..200L) {
                    notifier.publish(change(i, if (i % 2 == 0L) "alice" else "bob"))
                }
            }
            val signals: List<ChangeSignal> = received.await()
            assertEquals((1..100).map { change(it * 2L, "alice") }, signals)
            assertEquals(0, notifier.subscribers())
        } finally {
            publisher.shutdown()
            assertTrue(publisher.awaitTermination(10, TimeUnit.SECONDS))
        }
    }

    @Test
    fun aResumingFlowStartsWithTheKeptChangesOrAResync() = runBlocking {
        val notifier = ChangeNotifier.create()
        notifier.publish(change(1, "a"))
        notifier.publish(change(2, "a"))
        val resumed = withTimeout(20.seconds) {
            notifier.changesFlow(listOf(Topic.of("balances")), after = Position.of(1)).take(1).toList()
        }
        assertEquals(listOf(change(2, "a")), resumed)
        val stale = withTimeout(20.seconds) {
            notifier.changesFlow(listOf(Topic.of("orders")), after = Position.of(1)).take(1).toList()
        }
        assertEquals(Resync(Position.of(2), "resume"), stale.single())
    }
}
