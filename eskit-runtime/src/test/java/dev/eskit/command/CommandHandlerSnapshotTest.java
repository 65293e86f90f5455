package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.command.Counter.Noop;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.testlog.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class CommandHandlerSnapshotTest {

    private static final StreamRef C1 = StreamRef.of("counter", "c-1");
    private static final StateCodec<Integer> CODEC = StateCodec.json(Integer.class);

    private final Counter counter = new Counter();
    private final CountingStore store = new CountingStore(EventStore.inMemory(Counter.TYPES));
    private final SnapshotStore snapshots = SnapshotStore.inMemory();
    private final CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(store, counter.decider(),
            "counter").snapshots(snapshots, CODEC, 10).build();

    private LogCapture warnings;

    @BeforeEach
    void captureWarnings() {
        warnings = LogCapture.start(CommandHandler.class, Level.WARN);
    }

    @AfterEach
    void releaseWarnings() {
        warnings.close();
    }

    private void increments(int count) {
        for (int i = 0; i < count; i++) {
            handler.handle("c-1", new Increment("c-1", 1));
        }
    }

    @Test
    void noSnapshotIsTakenBeforeTheStreamReachesTheInterval() {
        increments(9);
        assertTrue(snapshots.load(C1).isEmpty());
    }

    @Test
    void aSnapshotIsTakenEveryNEvents() {
        increments(10);
        Snapshot first = snapshots.load(C1).orElseThrow();
        assertEquals(10, first.version());
        assertEquals(CODEC.schema(), first.schema());
        assertEquals(10, CODEC.decode(first.data()));

        increments(9);
        assertEquals(10, snapshots.load(C1).orElseThrow().version(), "19 events: still the snapshot at 10");
        increments(1);
        Snapshot second = snapshots.load(C1).orElseThrow();
        assertEquals(20, second.version());
        assertEquals(20, CODEC.decode(second.data()));
    }

    @Test
    void loadingStartsAfterTheSnapshotAndReadsOnlyLaterEvents() {
        increments(13);
        store.loads.clear();

        CommandResult<Integer, Event> result = handler.handle("c-1", new Decrement("c-1", 2));

        assertEquals(11, result.state());
        assertEquals(14, result.version());
        assertEquals(List.of(new Load(11, 3)), store.loads, "from version 11, events 11..13");
    }

    @Test
    void aSnapshotStateIsWhatTheDeciderSees() {
        increments(10);
        // A state that differs from the events proves the snapshot is used instead of the events.
        snapshots.save(new Snapshot(C1, 10, CODEC.schema(), "1000".getBytes(StandardCharsets.UTF_8), Instant.now()));

        CommandResult<Integer, Event> result = handler.handle("c-1", new Noop("c-1"));

        assertEquals(1000, result.state());
        assertEquals(10, result.version());
    }

    @Test
    void aSnapshotOfAnotherSchemaIsIgnoredAndReplaced() {
        increments(10);
        snapshots.save(new Snapshot(C1, 10, "java.lang.Integer#0000000000000000",
                "1000".getBytes(StandardCharsets.UTF_8), Instant.now()));
        store.loads.clear();

        CommandResult<Integer, Event> result = handler.handle("c-1", new Increment("c-1", 1));

        assertEquals(11, result.state(), "folded from the events, not the stale snapshot");
        assertEquals(List.of(new Load(1, 10)), store.loads);
        Snapshot replaced = snapshots.load(C1).orElseThrow();
        assertEquals(CODEC.schema(), replaced.schema());
        assertEquals(11, replaced.version());
        assertEquals(11, CODEC.decode(replaced.data()));
        assertTrue(warnings.messages().isEmpty(), "a schema change is expected, not worth a warning");
    }

    @Test
    void aCorruptSnapshotIsIgnoredWithAWarningAndReplaced() {
        increments(10);
        snapshots.save(new Snapshot(C1, 10, CODEC.schema(), "{not json".getBytes(StandardCharsets.UTF_8),
                Instant.now()));

        CommandResult<Integer, Event> result = handler.handle("c-1", new Increment("c-1", 1));

        assertEquals(11, result.state());
        List<String> messages = warnings.messages();
        assertEquals(1, messages.size());
        assertTrue(messages.get(0).contains("snapshot of counter/c-1") || messages.get(0).contains("snapshot of " + C1),
                messages.get(0));
        assertTrue(warnings.entries().get(0).throwable() != null, "the cause is logged with the warning");
        assertArrayEquals("11".getBytes(StandardCharsets.UTF_8), snapshots.load(C1).orElseThrow().data());
    }

    @Test
    void aFailingSnapshotStoreNeverFailsACommand() {
        SnapshotStore broken = new SnapshotStore() {
            @Override
            public Optional<Snapshot> load(StreamRef stream) {
                throw new IllegalStateException("snapshot table is gone");
            }

            @Override
            public void save(Snapshot snapshot) {
                throw new IllegalStateException("snapshot table is gone");
            }

            @Override
            public void delete(StreamRef stream) {
            }
        };
        CommandHandler<Integer, Command, Event> withBroken = CommandHandler.builder(store, counter.decider(),
                "counter").snapshots(broken, CODEC, 1).build();

        assertEquals(1, withBroken.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(2, withBroken.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(4, warnings.messages().size(), "two failed loads and two failed saves");
    }

    @Test
    void theIntervalMustBePositive() {
        CommandHandler.Builder<Integer, Command, Event> builder = CommandHandler.builder(store, counter.decider(),
                "counter");
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> builder.snapshots(snapshots, CODEC, 0));
        assertTrue(error.getMessage().contains("1 or more"), error.getMessage());
    }

    record Load(long fromVersion, int events) {
    }

    /** Records every load: where it started and how many events it returned. */
    static final class CountingStore implements EventStore {
        private final EventStore delegate;
        final List<Load> loads = new ArrayList<>();

        CountingStore(EventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public AppendResult append(AppendRequest request) {
            return delegate.append(request);
        }

        @Override
        public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
            List<StoredEvent<Object>> events = delegate.load(stream, fromVersion);
            loads.add(new Load(fromVersion, events.size()));
            return events;
        }

        @Override
        public long streamVersion(StreamRef stream) {
            return delegate.streamVersion(stream);
        }

        @Override
        public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
            return delegate.readAll(after, limit, eventTypes);
        }
    }
}
