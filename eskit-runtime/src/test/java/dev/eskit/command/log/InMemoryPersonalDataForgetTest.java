package dev.eskit.command.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.gdpr.DataSubjectMissingException;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.InMemorySubjectKeyStore;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.PersonalTodoStore;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantId;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory command log, command queue and todo store keep no plaintext of personal data once given a protector:
 * what they hold (every stored field, as text) is searched for the plaintext before and after a forget.
 */
class InMemoryPersonalDataForgetTest {

    private static final String SECRET = "xena-secret@example.com";
    private static final String SECRET_IP = "192.0.2.44";
    private static final String SECRET_NOTE = "xena lives at 2 Hidden Road";

    private final SubjectKeys keys = SubjectKeys.create(new InMemorySubjectKeyStore(), MasterKey.generate("m1"));
    private final PersonalDataProtector protector = PersonalDataProtector.create(keys, new Shop.PersonalData())
            .personalMetadata("ip");
    private final CommandLog log = CommandLog.inMemory();
    private final CommandQueueStore queued = CommandQueueStore.inMemory();
    private final PersonalTodoStore todos = protector.todos(TodoStore.inMemory());

    private List<String> holding(String secret) {
        List<String> hits = new ArrayList<>();
        List<Object> everything = new ArrayList<>(log.list(CommandLogQuery.latest(100)));
        for (QueueStatus status : QueueStatus.values()) {
            everything.addAll(queued.list(status, 100));
        }
        for (TodoStatus status : TodoStatus.values()) {
            everything.addAll(todos.delegate().list("mail", status, 100));
        }
        for (Object row : everything) {
            if (row.toString().contains(secret)) {
                hits.add(row.toString());
            }
        }
        return hits;
    }

    @Test
    void forgetReachesTheLogTheQueueAndTodoItems() {
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS).personalData(protector);
        CommandBus bus = CommandBus.builder(EventStore.inMemory(Shop.EVENTS)).register(Shop.routes())
                .commandLog(recorder).build();
        Metadata withIp = Metadata.empty().withInitiator("c-1").with("ip", SECRET_IP);
        CommandContext sent = CommandContext.of(withIp);
        bus.send(new Shop.Register("c-1", SECRET), sent);
        CommandQueue queue = CommandQueue.builder(queued, bus, Shop.COMMANDS).personalData(protector).build();
        String pending = queue.enqueue(new Shop.Register("c-1", SECRET), CommandContext.of(withIp));
        String other = queue.enqueue(new Shop.Register("c-2", "zoe@example.com"));
        assertTrue(todos.add("mail", "n-1", "c-1", SECRET_NOTE));
        var claim = todos.claim("mail", "w", 1, java.time.Duration.ofMinutes(1)).get(0);
        assertEquals(SECRET_NOTE, claim.item().payload(), "workers get the opened text");
        assertTrue(todos.fail(claim, "java.lang.IllegalStateException: cannot mail " + claim.item().payload(),
                Instant.now()));
        assertFalse(todos.find("mail", "n-1").orElseThrow().lastError().contains(SECRET_NOTE));
        assertTrue(recorder.readablePayload(log.find(sent.commandId()).orElseThrow()).contains(SECRET));
        for (String secret : List.of(SECRET, SECRET_IP, SECRET_NOTE)) {
            assertEquals(List.of(), holding(secret), secret);
        }
        assertThrows(DataSubjectMissingException.class, () -> queue.enqueue(new Shop.Register("c-3", "x"),
                CommandContext.of(Metadata.empty().with("ip", SECRET_IP))));

        protector.forget("c-1");
        assertTrue(recorder.readablePayload(log.find(sent.commandId()).orElseThrow()).contains(FieldCipher.ERASED));
        assertEquals(FieldCipher.ERASED, protector.open(log.find(sent.commandId()).orElseThrow().metadata().extras()
                .get("ip")));
        assertEquals(FieldCipher.ERASED, todos.find("mail", "n-1").orElseThrow().payload());
        assertEquals(2, queue.runOnce());
        assertEquals(QueueStatus.DEAD, queue.find(pending).orElseThrow().status(), "not run on erased data");
        assertEquals(QueueStatus.SUCCEEDED, queue.find(other).orElseThrow().status());
        for (String secret : List.of(SECRET, SECRET_IP, SECRET_NOTE)) {
            assertEquals(List.of(), holding(secret), secret);
        }
    }

    /**
     * A command without personal data of its own may be refused by a decider whose message quotes its state, folded
     * from events with personal data: its error text is cut too, in the log and in the queue; the caller's exception
     * keeps its message. A protector that knows no personal type keeps error texts whole.
     */
    @Test
    void theErrorOfACommandWithoutPersonalDataIsCutToo() {
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS).personalData(protector);
        CommandBus bus = CommandBus.builder(EventStore.inMemory(Shop.EVENTS)).register(Shop.routes())
                .commandLog(recorder).build();
        CommandContext sent = CommandContext.of(Metadata.empty());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> bus.send(new Shop.Order("c-9", 2), sent));
        assertEquals("customer c-9 is not registered", refused.getMessage());
        String withheld = "java.lang.IllegalStateException (message withheld: it may quote personal data of the"
                + " decider's state)";
        assertEquals(withheld, log.find(sent.commandId()).orElseThrow().error());
        CommandQueue queue = CommandQueue.builder(queued, bus, Shop.COMMANDS).personalData(protector).build();
        String dead = queue.enqueue(new Shop.Order("c-9", 1));
        assertEquals(1, queue.runOnce());
        assertEquals(withheld, queue.find(dead).orElseThrow().lastError());
        assertEquals(List.of(), holding("is not registered"));

        PersonalDataProtector none = PersonalDataProtector.create(keys);
        assertEquals("java.lang.IllegalStateException: customer c-9 is not registered", none.redactCommandError(
                "shop.Order", "java.lang.IllegalStateException: customer c-9 is not registered"));
        assertEquals("java.lang.IllegalStateException (message withheld: the command carries personal data)",
                protector.redactCommandError("shop.Register", "java.lang.IllegalStateException: x@example.com"));
        assertEquals(null, protector.redactCommandError("shop.Order", null));
    }

    @Test
    void tenantCommandsAreEncryptedUnderTheTenantsKeys() {
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS).personalData(protector);
        CommandBus bus = CommandBus.builder(EventStore.inMemory(Shop.EVENTS)).register(Shop.routes())
                .commandLog(recorder).build();
        CommandContext acme = Tenancy.withTenant(CommandContext.of(Metadata.empty().withInitiator("c-1")
                .with("ip", SECRET_IP)), TenantId.of("acme"));
        bus.send(new Shop.Register("c-1", SECRET), acme);
        // Tagged with its tenant, the command is logged as the tenant's even by a recorder of the shared log.
        assertTrue(log.find(acme.commandId()).isEmpty(), "nothing unscoped");
        CommandLogEntry entry = log.find("acme::" + acme.commandId()).orElseThrow();
        assertTrue(entry.payload().contains("acme::c-1"), entry.payload());
        assertEquals(0, protector.forget("c-1"), "the subject outside any tenant has no key");
        assertTrue(recorder.readablePayload(entry).contains(SECRET));
        assertEquals(1, protector.forget(TenantId.of("acme"), "c-1"));
        assertTrue(recorder.readablePayload(entry).contains(FieldCipher.ERASED));
        assertEquals(FieldCipher.ERASED, protector.open(entry.metadata().extras().get("ip")));
    }
}
