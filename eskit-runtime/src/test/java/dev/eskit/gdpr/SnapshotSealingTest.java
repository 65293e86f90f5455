package dev.eskit.gdpr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandHandler;
import dev.eskit.gdpr.CustomerPersonalData.Registered;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.subscription.DeadLetter;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A command handler on a store that protects personal data seals its snapshots under the keys of every data subject
 * folded into them, without any wrapping by the application; forgetting one subject shreds the snapshot.
 */
class SnapshotSealingTest {

    /** A state that keeps every e-mail it saw: personal data of several subjects. */
    record Emails(List<String> emails) {
    }

    /** An event without personal data. */
    record Note(String text) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("crm.Registered", Registered.class)
            .add("crm.Note", Note.class).build();

    private final SubjectKeys keys = SubjectKeys.create(SubjectKeyStore.inMemory(), MasterKey.generate("m1"));
    private final PersonalDataProtector protector = PersonalDataProtector.create(keys, new CustomerPersonalData());
    private final EventStore store = new ForwardingEventStore(EventStore.inMemory(TYPES)) {
        @Override
        public Optional<PersonalDataProtector> personalData() {
            return Optional.of(protector);
        }
    };
    private final SnapshotStore snapshots = SnapshotStore.inMemory();
    private final Decider<Emails, Registered, Registered> decider = Decider.of(() -> new Emails(List.of()),
            (state, command) -> List.of(command), (state, event) -> {
                List<String> emails = new java.util.ArrayList<>(state.emails());
                emails.add(event.email());
                return new Emails(emails);
            });

    private CommandHandler<Emails, Registered, Registered> handler(EventStore on) {
        return CommandHandler.builder(on, decider, "list").snapshots(snapshots, StateCodec.json(Emails.class), 1)
                .build();
    }

    private static boolean holds(Snapshot snapshot, String text) {
        return new String(snapshot.data(), StandardCharsets.ISO_8859_1).contains(text);
    }

    @Test
    void aSnapshotOfPersonalDataIsSealedUnderEverySubjectAndShreddedByForgettingAnyOfThem() {
        CommandHandler<Emails, Registered, Registered> handler = handler(store);
        handler.handle("l-1", new Registered("ann", "ann@example.com", 30, "gold"));
        handler.handle("l-1", new Registered("bob", "bob@example.com", 40, "free"));
        Snapshot sealed = snapshots.load(StreamRef.of("list", "l-1")).orElseThrow();
        assertTrue(sealed.schema().endsWith("+pds"), sealed.schema());
        assertFalse(holds(sealed, "ann@example.com"));
        assertEquals(java.util.Set.of("ann", "bob"),
                protector.openSnapshot(StateCodec.json(Emails.class).schema(), sealed.data()).orElseThrow()
                        .subjects());

        keys.forget("bob");

        assertTrue(protector.openSnapshot(StateCodec.json(Emails.class).schema(), sealed.data()).isEmpty(),
                "one forgotten subject shreds the whole snapshot");
        // The handler folds from the first event instead (the in-memory store keeps objects, so the e-mails are
        // still there) and seals a new snapshot.
        assertEquals(3, handler.handle("l-1", new Registered("cy", "cy@example.com", 50, "gold")).state().emails()
                .size());
        assertEquals(3, snapshots.load(StreamRef.of("list", "l-1")).orElseThrow().version());
    }

    @Test
    void aStateWithoutPersonalDataIsKeptPlainButMarkedAsTracked() {
        Decider<Integer, Note, Note> counting = Decider.of(() -> 0, (state, command) -> List.of(command),
                (state, event) -> state + 1);
        CommandHandler<Integer, Note, Note> handler = CommandHandler.builder(store, counting, "notes")
                .snapshots(snapshots, StateCodec.json(Integer.class), 1).build();
        handler.handle("n-1", new Note("hello"));
        Snapshot plain = snapshots.load(StreamRef.of("notes", "n-1")).orElseThrow();
        assertEquals(StateCodec.json(Integer.class).schema() + "+pd0", plain.schema());
        assertEquals("1", new String(plain.data(), StandardCharsets.UTF_8));
        assertEquals(2, handler.handle("n-1", new Note("again")).state());
    }

    @Test
    void aSnapshotWrittenBeforeProtectionIsIgnoredBecauseItsSubjectsAreUnknown() {
        handler(EventStore.inMemory(TYPES)).handle("l-1", new Registered("ann", "ann@example.com", 30, "gold"));
        // Same snapshot store, the stream copied into the protected store: the old plain snapshot is not used.
        store.append(StreamRef.of("list", "l-1"), dev.eskit.ExpectedVersion.noStream(),
                List.of(new Registered("ann", "ann@example.com", 30, "gold")));
        snapshots.save(new Snapshot(StreamRef.of("list", "l-1"), 1, StateCodec.json(Emails.class).schema(),
                "{\"emails\":[\"planted\"]}".getBytes(StandardCharsets.UTF_8), Instant.now()));
        Emails state = handler(store).handle("l-1", new Registered("bob", "bob@example.com", 1, "x")).state();
        assertEquals(List.of("ann@example.com", "bob@example.com"), state.emails());
        assertTrue(snapshots.load(StreamRef.of("list", "l-1")).orElseThrow().schema().endsWith("+pds"));
    }

    @Test
    void aTenantsSnapshotIsSealedUnderTheTenantsSubjectKeys() {
        EventStore acme = TenantScope.of(TenantId.of("acme")).events(store);
        CommandHandler<Emails, Registered, Registered> handler = handler(acme);
        handler.handle("l-1", new Registered("ann", "ann@example.com", 30, "gold"));
        Snapshot sealed = snapshots.load(StreamRef.of("acme::list", "l-1")).orElseThrow();
        assertEquals(java.util.Set.of("acme::ann"),
                protector.openSnapshot(StateCodec.json(Emails.class).schema(), sealed.data()).orElseThrow()
                        .subjects());
        keys.forget("ann"); // another "ann": the tenant's snapshot stays readable
        assertTrue(protector.openSnapshot(StateCodec.json(Emails.class).schema(), sealed.data()).isPresent());
        protector.forget(TenantId.of("acme"), "ann");
        assertTrue(protector.openSnapshot(StateCodec.json(Emails.class).schema(), sealed.data()).isEmpty());
    }

    @Test
    void aChangedSealedSnapshotIsRefusedAsTampered() {
        handler(store).handle("l-1", new Registered("ann", "ann@example.com", 30, "gold"));
        byte[] data = snapshots.load(StreamRef.of("list", "l-1")).orElseThrow().data();
        data[data.length - 1] ^= 1;
        assertThrows(PersonalDataTamperedException.class,
                () -> protector.openSnapshot(StateCodec.json(Emails.class).schema(), data));
        assertThrows(PersonalDataTamperedException.class,
                () -> protector.openSnapshot(StateCodec.json(Emails.class).schema(), "nope".getBytes()));
    }

    @Test
    void sealedTextReadsBackUntilItsSubjectIsForgotten() {
        String sealed = protector.seal("ann", "10.1.2.3");
        assertFalse(sealed.contains("10.1.2.3"));
        assertEquals("10.1.2.3", protector.open(sealed));
        assertEquals("plain", protector.open("plain"));
        String changed = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        assertThrows(PersonalDataTamperedException.class, () -> protector.open(changed));
        keys.forget("ann");
        assertEquals(FieldCipher.ERASED, protector.open(sealed));
    }

    @Test
    void deadLettersOfPersonalEventsAreRedacted() {
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), "mailer", UUID.randomUUID(), StreamRef.of("c", "1"), 1,
                "crm.Registered", Position.of(1), 1, "java.lang.IllegalStateException: ann@example.com",
                Instant.now(), Instant.now());
        DeadLetter redacted = protector.redact(letter);
        assertEquals("java.lang.IllegalStateException (message withheld: event type \"crm.Registered\" carries"
                + " personal data)", redacted.error());
        DeadLetter other = new DeadLetter(UUID.randomUUID(), "mailer", UUID.randomUUID(), StreamRef.of("c", "1"), 1,
                "crm.Other", Position.of(1), 1, "java.lang.IllegalStateException: boom", Instant.now(),
                Instant.now());
        assertEquals(other, protector.redact(other));
    }
}
