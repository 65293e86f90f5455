package dev.eskit.kotlin

import dev.eskit.AppendRequest
import dev.eskit.AppendResult
import dev.eskit.EventStore
import dev.eskit.Position
import dev.eskit.StoredEvent
import dev.eskit.StreamRef
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** An in-memory store that records which threads called it and how often the log was read. */
class RecordingStore(private val delegate: EventStore = EventStore.inMemory(testTypes)) : EventStore {
    val threads: MutableList<String> = CopyOnWriteArrayList()
    val readAllCalls = AtomicInteger()

    /** Runs before every readAll, on the reading thread; tests use it to hold a read open. */
    @Volatile
    var beforeRead: () -> Unit = {}

    private fun record() {
        threads.add(Thread.currentThread().name)
    }

    override fun append(request: AppendRequest): AppendResult {
        record()
        return delegate.append(request)
    }

    override fun load(stream: StreamRef, fromVersion: Long): List<StoredEvent<Any>> {
        record()
        return delegate.load(stream, fromVersion)
    }

    override fun streamVersion(stream: StreamRef): Long {
        record()
        return delegate.streamVersion(stream)
    }

    override fun readAll(after: Position, limit: Int, eventTypes: Set<String>): List<StoredEvent<Any>> {
        record()
        readAllCalls.incrementAndGet()
        beforeRead()
        return delegate.readAll(after, limit, eventTypes)
    }
}
