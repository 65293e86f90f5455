package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.EventStore;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.store.StreamDataReader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A store that can hand over event data alone ({@link StreamDataReader}) is loaded that way by the command handler,
 * with the same state and version as a full load; a store that cannot is loaded with {@code load}.
 */
class CommandHandlerDataLoadTest {

    /** Counts which load a handler used; {@code loadData} answers from the wrapped store's events. */
    private static final class CountingStore extends ForwardingEventStore implements StreamDataReader {
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger dataLoads = new AtomicInteger();

        CountingStore(EventStore delegate) {
            super(delegate);
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            loads.incrementAndGet();
            super.load(stream, fromVersion, action);
        }

        @Override
        public void loadData(StreamRef stream, long fromVersion, DataAction action) {
            dataLoads.incrementAndGet();
            for (StoredEvent<Object> event : delegate.load(stream, fromVersion)) {
                action.accept(event.version(), event.data());
            }
        }
    }

    /** A decorator without {@code loadData}. */
    private static final class PlainStore extends ForwardingEventStore {
        final AtomicInteger loads = new AtomicInteger();

        PlainStore(EventStore delegate) {
            super(delegate);
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            loads.incrementAndGet();
            super.load(stream, fromVersion, action);
        }
    }

    private final Counter counter = new Counter();

    @Test
    void foldsFromLoadDataWhenTheStoreHasIt() {
        CountingStore store = new CountingStore(EventStore.inMemory(Counter.TYPES));
        CommandHandler<Integer, Command, Event> handler = CommandHandler.of(store, counter.decider(), "counter");
        handler.handle("c-1", new Increment("c-1", 5));
        handler.handle("c-1", new Increment("c-1", 3));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Decrement("c-1", 2));
        assertEquals(6, result.state());
        assertEquals(3, result.version());
        assertEquals(3, store.dataLoads.get());
        assertEquals(0, store.loads.get());
    }

    @Test
    void foldsFromLoadOtherwiseWithTheSameResult() {
        PlainStore store = new PlainStore(EventStore.inMemory(Counter.TYPES));
        CommandHandler<Integer, Command, Event> handler = CommandHandler.of(store, counter.decider(), "counter");
        handler.handle("c-1", new Increment("c-1", 5));
        handler.handle("c-1", new Increment("c-1", 3));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Decrement("c-1", 2));
        assertEquals(6, result.state());
        assertEquals(3, result.version());
        assertEquals(3, store.loads.get());
    }
}
