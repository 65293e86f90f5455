package dev.eskit.kotlin

import dev.eskit.EventStore
import dev.eskit.Metadata
import dev.eskit.StreamRef
import dev.eskit.command.CommandBus
import dev.eskit.command.CommandRoute
import dev.eskit.command.CommandType
import dev.eskit.command.CommandTypes
import dev.eskit.command.queue.CommandQueue
import dev.eskit.command.queue.CommandQueueStore
import dev.eskit.command.queue.QueueStatus
import java.time.Duration
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class CommandQueuesTest {

    private val store = EventStore.inMemory(testTypes)
    private val bus = CommandBus.builder(store)
        .register(CommandRoute.of(Open::class.java, "account", Open::accountId, account))
        .register(CommandRoute.of(Withdraw::class.java, "account", Withdraw::accountId, account))
        .build()
    private val types = CommandTypes.of(
        CommandType.of("bank.Open", Open::class.java),
        CommandType.of("bank.Withdraw", Withdraw::class.java),
    )

    @Test
    fun enqueueReturnsAnIdAndAwaitResultSuspendsUntilAWorkerRanIt() = runBlocking {
        CommandQueue.builder(CommandQueueStore.inMemory(), bus, types).pollInterval(Duration.ofMillis(10))
            .build().start().use { queue ->
                val id = withMetadata(Metadata.correlatedBy("req-9")) { queue.enqueueCommand(Open("a-1")) }
                val result = withTimeout(10_000) { queue.awaitResult(id) }
                assertTrue(result.succeeded())
                assertEquals(1, result.streamVersion())
                assertEquals("req-9", store.load(StreamRef.of("account", "a-1"))[0].metadata().correlationId())

                val refused = withTimeout(10_000) { queue.awaitResult(queue.enqueueCommand(Withdraw("a-1", 5))) }
                assertEquals(QueueStatus.REJECTED, refused.status())
                assertTrue(refused.error().contains("insufficient funds"), refused.error())
            }
    }
}
