package dev.eskit.gdpr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandHandler;
import dev.eskit.gdpr.CustomerPersonalData.Registered;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.store.ForwardingEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * On a store that protects personal data, the command handler's state cache never keeps a state whose fold saw an
 * event of a type with {@code @PersonalData} (so a forgotten subject's plaintext never stays in memory to decide
 * on); states of streams without personal data are cached as anywhere else.
 */
class StateCachePersonalDataTest {

    /** An event type without personal data. */
    record Note(String text) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("crm.Registered", Registered.class)
            .add("crm.Note", Note.class).build();

    private final SubjectKeys keys = SubjectKeys.create(SubjectKeyStore.inMemory(), MasterKey.generate("m1"));
    private final PersonalDataProtector protector = PersonalDataProtector.create(keys, new CustomerPersonalData());
    private final List<Long> froms = new ArrayList<>();
    private final EventStore store = new ForwardingEventStore(EventStore.inMemory(TYPES)) {
        @Override
        public Optional<PersonalDataProtector> personalData() {
            return Optional.of(protector);
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            froms.add(fromVersion);
            super.load(stream, fromVersion, action);
        }
    };
    /** Counts the events folded; commands are the events themselves. */
    private final Decider<Integer, Object, Object> decider = Decider.of(() -> 0, (state, command) -> List.of(command),
            (state, event) -> state + 1);

    @Test
    void aStateFoldedFromPersonalDataIsNeverCached() {
        CommandHandler<Integer, Object, Object> handler = CommandHandler.builder(store, decider, "customer")
                .cacheStates(10).build();
        handler.handle("c-1", new Registered("ann", "ann@example.com", 30, "gold"));
        handler.handle("c-1", new Note("called"));
        handler.handle("c-1", new Note("called again"));
        assertEquals(List.of(1L, 1L, 1L), froms, "every command folds from the first event");
        keys.forget("ann");
        assertEquals(4, handler.handle("c-1", new Note("after the forget")).state());
        assertEquals(1L, froms.get(3));
    }

    @Test
    void aStateWithoutPersonalDataIsCached() {
        CommandHandler<Integer, Object, Object> handler = CommandHandler.builder(store, decider, "notes")
                .cacheStates(10).build();
        handler.handle("n-1", new Note("a"));
        handler.handle("n-1", new Note("b"));
        handler.handle("n-1", new Note("c"));
        assertEquals(List.of(1L, 1L, 2L), froms);
        // Personal data arriving later (from another writer or this handler) ends the caching of that stream.
        handler.handle("n-1", new Registered("bob", "bob@example.com", 40, "free"));
        handler.handle("n-1", new Note("d"));
        assertEquals(List.of(1L, 1L, 2L, 3L, 1L), froms);
    }

    @Test
    void aStateRestoredFromASealedSnapshotIsNotCached() {
        SnapshotStore snapshots = SnapshotStore.inMemory();
        CommandHandler<Integer, Object, Object> handler = CommandHandler.builder(store, decider, "customer")
                .snapshots(snapshots, StateCodec.json(Integer.class), 1).cacheStates(10).build();
        handler.handle("c-1", new Registered("ann", "ann@example.com", 30, "gold"));
        handler.handle("c-1", new Note("x"));
        handler.handle("c-1", new Note("y"));
        // Each load starts after the latest (sealed) snapshot, never from a cached state.
        assertEquals(List.of(1L, 2L, 3L), froms);
        assertEquals(4, handler.handle("c-1", new Note("z")).state());
    }
}
