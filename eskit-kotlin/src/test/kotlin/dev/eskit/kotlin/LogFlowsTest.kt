package dev.eskit.kotlin

import dev.eskit.ExpectedVersion
import dev.eskit.InvalidInputException
import dev.eskit.InvalidReadLimitException
import dev.eskit.Position
import dev.eskit.StreamRef
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class LogFlowsTest {

    private val io: ExecutorCoroutineDispatcher =
        Executors.newFixedThreadPool(2) { Thread(it, "eskit-test-io") }.asCoroutineDispatcher()
    private val recording = RecordingStore()
    private val store = recording.asCoroutineStore(io)
    private val counterStream = StreamRef.of("counter", "c-1")

    @AfterEach
    fun close() {
        io.close()
    }

    private suspend fun appendAdded(range: IntRange, stream: StreamRef = counterStream) {
        store.append(stream, ExpectedVersion.any(), range.map { Added(it) })
    }

    @Test
    fun readAllFlowReadsTheWholeLogInPagesAndCompletes() = runBlocking<Unit> {
        appendAdded(1..1234)
        val events = store.readAllFlow(pageSize = 100).toList()
        assertEquals((1..1234).map { Added(it) }, events.map { it.data() })
        assertEquals((1L..1234L).toList(), events.map { it.globalPosition() })
        // 12 full pages, then a short page that ends the flow.
        assertEquals(13, recording.readAllCalls.get())
    }

    @Test
    fun readAllFlowEndsOnAnEmptyPageWhenTheLogIsAMultipleOfThePageSize() = runBlocking<Unit> {
        appendAdded(1..200)
        assertEquals(200, store.readAllFlow(pageSize = 100).toList().size)
        assertEquals(3, recording.readAllCalls.get())
    }

    @Test
    fun readAllFlowOfAnEmptyLogCompletesWithoutEvents() = runBlocking<Unit> {
        assertTrue(store.readAllFlow().toList().isEmpty())
        assertEquals(1, recording.readAllCalls.get())
    }

    @Test
    fun readAllFlowStartsAfterAPositionAndFiltersByEventType() = runBlocking<Unit> {
        appendAdded(1..3)
        store.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), listOf(Opened("a"), Deposited("a", 1)))
        appendAdded(4..6)
        val afterThird = store.readAllFlow(after = Position.of(3)).map { it.data() }.toList()
        assertEquals(listOf(Opened("a"), Deposited("a", 1), Added(4), Added(5), Added(6)), afterThird)
        val added = store.readAllFlow(pageSize = 2, eventTypes = setOf("counter.Added")).map { it.data() }.toList()
        assertEquals((1..6).map { Added(it) }, added)
    }

    @Test
    fun readAllFlowIsColdAndSeesNewEventsOnEveryCollection() = runBlocking<Unit> {
        val flow = store.readAllFlow()
        appendAdded(1..2)
        assertEquals(2, flow.toList().size)
        appendAdded(3..3)
        assertEquals(3, flow.toList().size)
    }

    @Test
    fun takingFewerEventsStopsReadingPages() = runBlocking<Unit> {
        appendAdded(1..1000)
        val first = store.readAllFlow(pageSize = 100).take(150).toList()
        assertEquals((1..150).map { Added(it) }, first.map { it.data() })
        assertEquals(2, recording.readAllCalls.get())
    }

    @Test
    fun badPageSizeOrPollIntervalFailsWhenTheFlowIsMade() {
        assertThrows<InvalidReadLimitException> { store.readAllFlow(pageSize = 0) }
        assertThrows<InvalidReadLimitException> { store.followAllFlow(pageSize = 10_001) }
        assertThrows<InvalidInputException> { store.followAllFlow(pollInterval = Duration.ZERO) }
        assertThrows<InvalidInputException> { store.followAllFlow(pollInterval = (-1).seconds) }
        assertThrows<InvalidInputException> { store.followAllFlow(pollInterval = Duration.INFINITE) }
        assertEquals(0, recording.readAllCalls.get())
    }

    @Test
    fun followAllFlowDeliversEventsAppendedAfterItCaughtUp() = runBlocking<Unit> {
        appendAdded(1..5)
        val received = Channel<Any>(Channel.UNLIMITED)
        val follower = launch {
            store.followAllFlow(pageSize = 2, pollInterval = 5.milliseconds).collect { received.send(it.data()) }
        }
        withTimeout(10.seconds) {
            assertEquals((1..5).map { Added(it) }, List(5) { received.receive() })
            appendAdded(6..8)
            store.append(StreamRef.of("account", "b"), ExpectedVersion.noStream(), listOf(Opened("b")))
            assertEquals(listOf(Added(6), Added(7), Added(8), Opened("b")), List(4) { received.receive() })
            follower.cancelAndJoin()
        }
        assertTrue(follower.isCancelled)
        assertTrue(received.tryReceive().isFailure, "no event after the ones appended")
    }

    @Test
    fun followAllFlowFromAPositionSkipsEarlierEvents() = runBlocking<Unit> {
        appendAdded(1..4)
        val events = withTimeout(10.seconds) {
            store.followAllFlow(after = Position.of(2), pollInterval = 5.milliseconds).take(2).toList()
        }
        assertEquals(listOf(Added(3), Added(4)), events.map { it.data() })
    }

    @Test
    fun cancellingAFollowerLetsTheReadInProgressFinishAndStartsNoOther() = runBlocking<Unit> {
        appendAdded(1..3)
        val reading = CountDownLatch(1)
        val release = CountDownLatch(1)
        val interrupted = AtomicBoolean(false)
        val holdReads = AtomicBoolean(false)
        recording.beforeRead = {
            if (holdReads.get()) {
                reading.countDown()
                try {
                    release.await(10, TimeUnit.SECONDS)
                } catch (e: InterruptedException) {
                    interrupted.set(true)
                }
            }
        }
        val received = Channel<Any>(Channel.UNLIMITED)
        val follower = launch(start = CoroutineStart.UNDISPATCHED) {
            store.followAllFlow(pollInterval = 5.milliseconds).collect { received.send(it.data()) }
        }
        withTimeout(10.seconds) {
            assertEquals(List(3) { Added(it + 1) }, List(3) { received.receive() })
            holdReads.set(true)
            runInterruptible(io) { reading.await() }
            val readsWhenCancelled = recording.readAllCalls.get()
            follower.cancel()
            assertFalse(follower.isCompleted, "the follower waits for the read in progress")
            release.countDown()
            follower.join()
            assertEquals(readsWhenCancelled, recording.readAllCalls.get())
        }
        assertTrue(follower.isCancelled)
        assertFalse(interrupted.get(), "the store call was not interrupted")
    }
}
