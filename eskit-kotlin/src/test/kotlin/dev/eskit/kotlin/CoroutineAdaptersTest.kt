package dev.eskit.kotlin

import dev.eskit.ExpectedVersion
import dev.eskit.Metadata
import dev.eskit.StreamRef
import dev.eskit.UnknownCommandException
import dev.eskit.command.CommandBus
import dev.eskit.command.CommandContext
import dev.eskit.command.CommandHandler
import dev.eskit.command.CommandRoute
import dev.eskit.command.RetryPolicy
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class CoroutineAdaptersTest {

    private val io: ExecutorCoroutineDispatcher =
        Executors.newFixedThreadPool(2) { Thread(it, "eskit-test-io") }.asCoroutineDispatcher()
    private val recording = RecordingStore()
    private val store = recording.asCoroutineStore(io)
    private val stream = StreamRef.of("account", "a-1")

    @AfterEach
    fun close() {
        io.close()
    }

    @Test
    fun storeOperationsSuspendAndRunOnTheDispatcher() = runBlocking<Unit> {
        val appended = store.append(stream, ExpectedVersion.noStream(), listOf(Opened("a-1"), Deposited("a-1", 5)))
        assertEquals(2L, appended.streamVersion())
        assertEquals(listOf(Opened("a-1"), Deposited("a-1", 5)), store.load(stream).map { it.data() })
        assertEquals(listOf(Deposited("a-1", 5)), store.load(stream, fromVersion = 2).map { it.data() })
        assertEquals(2L, store.streamVersion(stream))
        assertEquals(2, store.readAll(limit = 10).size)
        assertEquals(5, recording.threads.size)
        assertTrue(recording.threads.all { it.startsWith("eskit-test-io") }, recording.threads.toString())
    }

    @Test
    fun badInputFailsBeforeTheStoreIsCalled() = runBlocking<Unit> {
        assertThrows<dev.eskit.InvalidReadLimitException> { store.readAll(limit = 0) }
        assertThrows<dev.eskit.InvalidInputException> { store.load(stream, fromVersion = -1) }
        assertThrows<dev.eskit.EmptyAppendException> { store.append(stream, ExpectedVersion.any(), emptyList()) }
        assertTrue(recording.threads.isEmpty(), recording.threads.toString())
    }

    @Test
    fun appendsTakeTheMetadataOfTheCoroutineContext() = runBlocking<Unit> {
        val metadata = Metadata.correlatedBy("req-1").withInitiator("alice")
        withMetadata(metadata) {
            store.append(stream, ExpectedVersion.noStream(), listOf(Opened("a-1")))
            withMetadata({ it.withInitiator("bob") }) {
                store.append(stream, ExpectedVersion.exactly(1), listOf(Deposited("a-1", 1)))
            }
            // An explicit argument wins over the context.
            store.append(stream, ExpectedVersion.exactly(2), listOf(Deposited("a-1", 2)), Metadata.correlatedBy("x"))
        }
        // No context: no metadata.
        store.append(stream, ExpectedVersion.exactly(3), listOf(Deposited("a-1", 3)))
        val stored = store.load(stream).map { it.metadata() }
        assertEquals(metadata, stored[0])
        assertEquals(metadata.withInitiator("bob"), stored[1])
        assertEquals(Metadata.correlatedBy("x"), stored[2])
        assertTrue(stored[3].isEmpty)
    }

    @Test
    fun appendRequestWithoutMetadataTakesTheContextsAndOneWithMetadataKeepsIt() = runBlocking<Unit> {
        withMetadata(Metadata.correlatedBy("ctx")) {
            store.append(dev.eskit.AppendRequest.of(stream, ExpectedVersion.noStream(), listOf(Opened("a-1"))))
            store.append(
                dev.eskit.AppendRequest.of(stream, ExpectedVersion.exactly(1), listOf(Deposited("a-1", 1)))
                    .withMetadata(Metadata.correlatedBy("own")),
            )
        }
        assertEquals(listOf("ctx", "own"), store.load(stream).map { it.metadata().correlationId() })
    }

    @Test
    fun metadataContextIsInheritedByChildCoroutines() = runBlocking<Unit> {
        withMetadata(Metadata.correlatedBy("parent")) {
            (1..4).map { i ->
                async(io) {
                    store.append(StreamRef.of("account", "c-$i"), ExpectedVersion.noStream(), listOf(Opened("c-$i")))
                }
            }.awaitAll()
        }
        val log = store.readAll(limit = 10)
        assertEquals(4, log.size)
        assertTrue(log.all { it.metadata().correlationId() == "parent" })
    }

    @Test
    fun commandHandlerCarriesContextMetadataIntoStoredEvents() = runBlocking<Unit> {
        val accounts = CommandHandler.of(recording, account, "account").asCoroutineHandler(io)
        val result = withMetadata(Metadata.correlatedBy("req-9").withInitiator("alice")) {
            accounts.handle("a-1", Open("a-1"))
        }
        assertEquals(Account(open = true), result.state())
        val event = result.events().single()
        assertEquals("req-9", event.metadata().correlationId())
        assertEquals("alice", event.metadata().initiator())
        // The causation id defaults to the command's own id.
        assertNotNull(event.metadata().causationId())
        assertTrue(recording.threads.all { it.startsWith("eskit-test-io") }, recording.threads.toString())
    }

    @Test
    fun explicitCommandContextWinsOverTheCoroutineContext() = runBlocking<Unit> {
        val accounts = CommandHandler.of(recording, account, "account").asCoroutineHandler(io)
        val context = CommandContext(
            "cmd-1", Metadata.correlatedBy("explicit"), "open-a-1",
        )
        val result = withMetadata(Metadata.correlatedBy("ambient")) { accounts.handle("a-1", Open("a-1"), context) }
        val metadata = result.events().single().metadata()
        assertEquals("explicit", metadata.correlationId())
        assertEquals("cmd-1", metadata.causationId())
    }

    @Test
    fun commandBusSendsWithContextMetadataAndRejectsUnknownCommands() = runBlocking<Unit> {
        val bus = CommandBus.builder(recording)
            .register(CommandRoute.of(Open::class.java, "account", Open::accountId, account))
            .register(CommandRoute.of(Deposit::class.java, "account", Deposit::accountId, account))
            .build()
            .asCoroutineBus(io)
        withMetadata(Metadata.correlatedBy("checkout-3")) {
            bus.send(Open("a-7"))
            bus.send(Deposit("a-7", 40))
        }
        val events = store.load(StreamRef.of("account", "a-7"))
        assertEquals(listOf(Opened("a-7"), Deposited("a-7", 40)), events.map { it.data() })
        assertTrue(events.all { it.metadata().correlationId() == "checkout-3" })
        assertFalse(events[0].metadata().causationId() == events[1].metadata().causationId())
        assertThrows<UnknownCommandException> { bus.send(Withdraw("a-7", 1)) }
    }

    @Test
    fun domainErrorsReachTheSuspendingCaller() = runBlocking<Unit> {
        val accounts = CommandHandler.of(recording, account, "account").asCoroutineHandler(io)
        accounts.handle("a-1", Open("a-1"))
        assertThrows<InsufficientFunds> { accounts.handle("a-1", Withdraw("a-1", 1)) }
        assertEquals(1L, store.streamVersion(StreamRef.of("account", "a-1")))
    }

    @Test
    fun concurrentCoroutinesEachStoreTheirOwnContextMetadata() = runBlocking<Unit> {
        val counters = CommandHandler.builder(recording, counter, "counter")
            .retry(RetryPolicy.attempts(100))
            .build()
            .asCoroutineHandler(Dispatchers.IO)
        val senders = 64
        (1..senders).map { i ->
            launch(Dispatchers.Default) {
                withMetadata(Metadata.correlatedBy("req-$i")) {
                    // Half on one contended stream, half on streams of their own.
                    val stream = if (i % 2 == 0) "shared" else "own-$i"
                    counters.handle(stream, Add(i))
                }
            }
        }.joinAll()
        val log = store.readAll(limit = 1_000)
        assertEquals(senders, log.size)
        for (event in log) {
            val amount = (event.data() as Added).amount
            assertEquals("req-$amount", event.metadata().correlationId(), event.toString())
        }
        assertEquals((senders / 2).toLong(), store.streamVersion(StreamRef.of("counter", "shared")))
    }
}
