package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Decider;
import dev.eskit.Metadata;
import dev.eskit.Retry;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.command.log.CommandRecorder;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.PersonalDataRegistry;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.PersonalDataContract.CrmPersonalData;
import dev.eskit.jdbi.PersonalDataContract.Registered;
import dev.eskit.jdbi.command.JdbiCommandLog;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * After {@code forget(subject)} no plaintext of the subject's personal data is left in the command log, in pending or
 * dead queued commands, or in personal metadata extras ({@code protector.personalMetadata("ip")}) of events, log
 * entries and queued commands, with nothing wired by hand: the Jdbi log and queue take the protector of their store.
 */
abstract class CommandForgetContract {

    /** A command with personal data (the e-mail of the customer it registers). */
    record Register(String customerId, String email, String plan) {
    }

    /** Written the way the processor generates a {@code <Package>CommandPersonalData}. */
    static final class CrmCommandPersonalData implements PersonalDataRegistry {
        @Override
        public Set<String> eventTypes() {
            return Set.of("crm.Register");
        }

        @Override
        public void encrypt(String type, ObjectNode data, FieldCipher cipher) {
            cipher.encrypt(data, "email", FieldCipher.subject(data, "customerId", type));
        }

        @Override
        public void decrypt(String type, ObjectNode data, FieldCipher cipher) {
            cipher.decrypt(data, "email", FieldCipher.ERASED_TEXT);
        }
    }

    private static final String SECRET = "yves-secret@example.com";
    private static final String SECRET_IP = "198.51.100.23";
    private static final CommandTypes COMMANDS = CommandTypes.of(CommandType.of("crm.Register", Register.class));
    private static final Decider<Long, Register, Registered> DECIDER = Decider.of(() -> 0L, (state, c) -> {
        if (c.plan().equals("reject")) {
            throw new IllegalStateException("cannot register " + c.email());
        }
        return List.of(new Registered(c.customerId(), c.email(), c.plan()));
    }, (state, e) -> state + 1);

    abstract Databases db();

    abstract TableNames tables(Databases.Location location);

    @Test
    void forgetReachesTheCommandLogThePendingAndDeadQueueAndPersonalMetadata() throws Exception {
        Databases.Location location = db().newLocation();
        TableNames names = tables(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi, names), MasterKey.generate("m1"));
        PersonalDataProtector protector = PersonalDataProtector.create(keys, new CrmPersonalData(),
                new CrmCommandPersonalData()).personalMetadata("ip");
        JdbiEventStore store = db().track(location.builder(protector.codec(PersonalDataContract.TYPES)).build());
        CommandRecorder recorder = CommandRecorder.of(JdbiCommandLog.create(jdbi, store), COMMANDS);
        CommandBus bus = CommandBus.builder(store)
                .register(List.of(CommandRoute.of(Register.class, "customer", Register::customerId, DECIDER)))
                .commandLog(recorder)
                .build();
        Metadata withIp = Metadata.empty().withInitiator("c-1").with("ip", SECRET_IP);

        // Accepted and rejected commands in the log; the ip in the events' metadata.
        CommandContext accepted = CommandContext.of(withIp);
        bus.send(new Register("c-1", SECRET, "gold"), accepted);
        CommandContext rejected = CommandContext.of(withIp);
        assertThrows(IllegalStateException.class, () -> bus.send(new Register("c-1", SECRET, "reject"), rejected));
        CommandLogEntry entry = recorder.log().find(accepted.commandId()).orElseThrow();
        assertTrue(recorder.readablePayload(entry).contains(SECRET));
        assertEquals(SECRET_IP, protector.open(entry.metadata().extras().get("ip")));
        CommandLogEntry rejectedEntry = recorder.log().find(rejected.commandId()).orElseThrow();
        assertEquals(CommandOutcome.REJECTED, rejectedEntry.outcome());
        assertFalse(rejectedEntry.error().contains(SECRET), rejectedEntry.error());
        assertEquals(SECRET_IP, store.load(StreamRef.of("customer", "c-1")).get(0).metadata().extras().get("ip"),
                "the codec opens personal metadata on read");
        assertThrows(dev.eskit.gdpr.DataSubjectMissingException.class, () -> bus.send(new Register("c-3", "x", "gold"),
                CommandContext.of(Metadata.empty().with("ip", SECRET_IP))), "personal metadata needs a subject");

        // One dead command (its failure is retried once, then given up) and one pending command.
        CommandQueue queue = CommandQueue.builder(JdbiCommandQueueStore.create(jdbi, store), bus, COMMANDS)
                .retry(Retry.attempts(1))
                .transientErrors(e -> e instanceof IllegalStateException)
                .build();
        String dead = queue.enqueue(new Register("c-1", SECRET, "reject"), CommandContext.of(withIp));
        assertEquals(1, queue.runOnce());
        QueuedCommand deadRow = queue.find(dead).orElseThrow();
        assertEquals(QueueStatus.DEAD, deadRow.status());
        assertFalse(deadRow.lastError().contains(SECRET), deadRow.lastError());
        String pending = queue.enqueue(new Register("c-1", SECRET, "platinum"), CommandContext.of(withIp));
        QueuedCommand pendingRow = queue.find(pending).orElseThrow();
        assertEquals(QueueStatus.PENDING, pendingRow.status());
        assertFalse(pendingRow.payload().contains(SECRET), pendingRow.payload());
        assertEquals(SECRET_IP, protector.open(pendingRow.metadata().extras().get("ip")));
        String other = queue.enqueue(new Register("c-2", "zoe@example.com", "free"));
        assertNoPlaintext(location, names);

        assertEquals(1, protector.forget("c-1"));
        assertTrue(recorder.readablePayload(recorder.log().find(accepted.commandId()).orElseThrow())
                .contains(FieldCipher.ERASED));
        assertEquals(FieldCipher.ERASED, store.load(StreamRef.of("customer", "c-1")).get(0).metadata().extras()
                .get("ip"));
        // The pending command of the forgotten subject does not run on placeholders; the other one runs.
        assertEquals(2, queue.runOnce());
        QueuedCommand refused = queue.find(pending).orElseThrow();
        assertEquals(QueueStatus.DEAD, refused.status());
        assertEquals(QueueStatus.SUCCEEDED, queue.find(other).orElseThrow().status());
        assertEquals(1, store.load(StreamRef.of("customer", "c-1")).size(), "nothing ran on erased data");
        assertNoPlaintext(location, names);
    }

    @Test
    void personalMetadataOfATenantsAppendIsSealedUnderTheTenantsKey() throws Exception {
        Databases.Location location = db().newLocation();
        TableNames names = tables(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi, names), MasterKey.generate("m1"));
        PersonalDataProtector protector = PersonalDataProtector.create(keys, new CrmPersonalData())
                .personalMetadata("ip");
        JdbiEventStore store = db().track(location.builder(protector.codec(PersonalDataContract.TYPES)).build());
        dev.eskit.tenancy.TenantId acme = dev.eskit.tenancy.TenantId.of("acme");
        dev.eskit.EventStore view = dev.eskit.tenancy.TenantScope.of(acme).events(store);
        StreamRef stream = StreamRef.of("customer", "c-1");
        view.append(dev.eskit.AppendRequest.of(stream, dev.eskit.ExpectedVersion.noStream(),
                List.of(new Registered("c-1", SECRET, "gold"))).withMetadata(Metadata.empty()
                .with(dev.eskit.gdpr.PersonalMetadata.SUBJECT_KEY, "c-1").with("ip", SECRET_IP)));
        assertEquals(SECRET_IP, view.load(stream).get(0).metadata().extras().get("ip"));
        assertNoPlaintext(location, names);
        assertEquals(0, protector.forget("c-1"), "not the subject outside any tenant");
        assertEquals(1, protector.forget(acme, "c-1"));
        assertEquals(FieldCipher.ERASED, view.load(stream).get(0).metadata().extras().get("ip"));
        assertEquals(FieldCipher.ERASED, ((Registered) view.load(stream).get(0).data()).email());
    }

    private static void assertNoPlaintext(Databases.Location location, TableNames names) throws Exception {
        try (var raw = location.rawConnection()) {
            for (String secret : List.of(SECRET, SECRET_IP)) {
                assertEquals(List.of(), PersonalDataForgetContract.tablesWith(raw, names, secret), secret);
            }
            PersonalDataForgetContract.assertNotInDatabaseFiles(raw, List.of(SECRET, SECRET_IP));
        }
    }
}
