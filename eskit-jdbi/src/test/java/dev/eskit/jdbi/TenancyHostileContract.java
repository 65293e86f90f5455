package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.AppendRequest;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.log.CommandLog;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.PersonalDataTamperedException;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.PersonalDataContract.CrmPersonalData;
import dev.eskit.jdbi.PersonalDataContract.Registered;
import dev.eskit.jdbi.command.JdbiCommandLog;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.jdbi.subscription.JdbiPartitionLeases;
import dev.eskit.jdbi.subscription.JdbiTodoStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's outside-in trial, kept in the suite: a hostile tester with two tenants ({@code acme} and the look-alike
 * {@code acme-}) on one database with personal data protection tries hostile identifiers through every tenant view,
 * a poisoned (tampered) event of one tenant, a forgotten subject id used again, and ciphertext moved between events
 * and between tenants, tenants' buses on the shared command log, live views on one change notifier, key errors and the
 * issue's oversized append. The per-store cross-tenant checks (snapshots, dead letters, todo items, checkpoints, stream
 * admin, subject keys, command queue and log, partition leases, live views, forged tenant markers) run in
 * {@code TenancyConformance} on the same databases.
 */
abstract class TenancyHostileContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TenantId A = TenantId.of("acme");
    private static final TenantId B = TenantId.of("acme-");
    private static final StreamRef C1 = StreamRef.of("customer", "c-1");
    /** Unpaired surrogates (both JDBC drivers would store them as '?'), and the empty string. */
    private static final List<String> HOSTILE = List.of("", "x\uD800", "x\uDBFF", "\uDC00x", "x\uD800?");

    abstract Databases db();

    /** The table names of a location (the key tables are next to the events). */
    abstract TableNames tables(Databases.Location location);

    private Databases.Location location;
    private Jdbi jdbi;
    private JdbiEventStore shared;
    private PersonalDataProtector protector;
    private TenantScope a;
    private TenantScope b;
    private EventStore eventsA;
    private EventStore eventsB;

    @BeforeEach
    void open() {
        location = db().newLocation();
        jdbi = Jdbi.create(location.dataSource());
        TableNames names = tables(location);
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi, names), MasterKey.generate("m1"));
        protector = PersonalDataProtector.create(keys, new CrmPersonalData());
        shared = db().track(location.builder(protector.codec(PersonalDataContract.TYPES)).build());
        a = TenantScope.of(A);
        b = TenantScope.of(B);
        eventsA = a.events(shared);
        eventsB = b.events(shared);
    }


    private static Registered registered(String email) {
        return new Registered("c-1", email, "gold");
    }

    /** Row counts of every eskit table of the location, by table. */
    private Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        TableNames names = shared.tableNames();
        try (Connection raw = location.rawConnection()) {
            DatabaseMetaData meta = raw.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet found = meta.getTables(null, names.schema(), names.prefix() + "%",
                    new String[] {"TABLE"})) {
                while (found.next()) {
                    tables.add((names.schema() == null ? "" : names.schema() + ".") + found.getString("TABLE_NAME"));
                }
            }
            assertTrue(tables.size() >= 8, "found the tables: " + tables);
            for (String table : tables) {
                try (Statement statement = raw.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rows.next();
                    counts.put(table, rows.getLong(1));
                }
            }
        }
        return counts;
    }

    private void refused(String what, String value, Runnable attempt) {
        RuntimeException e = assertThrows(RuntimeException.class, attempt::run, what + " " + escape(value));
        assertTrue(e instanceof InvalidInputException, what + " " + escape(value) + " failed with " + e);
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", c) : (char) c));
        return out.append('"').toString();
    }

    /**
     * Every identifier a tenant passes to its views (stream ids and types, idempotency keys, subject ids, todo lists
     * and ids, subscription and checkpoint names, command ids, partition-lease names) is refused when empty or not valid
     * Unicode, with an {@link InvalidInputException}, before anything is written to any table.
     */
    @Test
    void hostileIdentifiersThroughTenantViewsAreRefusedBeforeAnythingIsWritten() throws Exception {
        var todos = a.todos(JdbiTodoStore.create(jdbi, shared));
        var checkpoints = a.checkpoints(shared.checkpoints());
        var letters = a.deadLetters(JdbiDeadLetterStore.create(jdbi, shared));
        CommandLog log = a.commandLog(JdbiCommandLog.create(jdbi, shared));
        CommandQueueStore queue = a.commandQueue(JdbiCommandQueueStore.create(jdbi, shared));
        var leases = a.partitionLeases(JdbiPartitionLeases.create(jdbi, shared));
        var snapshots = a.snapshots(shared.snapshots());
        var notifier = dev.eskit.change.ChangeNotifier.create();
        Map<String, Long> before = rowCounts();
        for (String hostile : HOSTILE) {
            refused("stream id", hostile, () -> eventsA.append(StreamRef.of("customer", hostile),
                    ExpectedVersion.any(), List.of(registered("ann@example.com"))));
            refused("stream type", hostile, () -> eventsA.append(StreamRef.of(hostile, "c-1"),
                    ExpectedVersion.any(), List.of(registered("ann@example.com"))));
            refused("idempotency key", hostile, () -> eventsA.append(AppendRequest.of(C1, ExpectedVersion.any(),
                    List.of(registered("ann@example.com"))).withIdempotencyKey(hostile)));
            refused("subject id", hostile, () -> protector.forget(A, hostile));
            refused("todo list", hostile, () -> todos.add(hostile, "m-1", "{}"));
            refused("todo id", hostile, () -> todos.add("mail", hostile, "{}"));
            refused("checkpoint", hostile, () -> checkpoints.save(hostile, Position.START));
            refused("dead-letter subscription", hostile, () -> letters.list(hostile, 10));
            refused("snapshot stream", hostile, () -> snapshots.load(StreamRef.of("customer", hostile)));
            refused("command id", hostile, () -> log.record(new CommandLogEntry(hostile, "crm.Register", C1, "{}",
                    Metadata.empty(), CommandOutcome.ACCEPTED, 0, null, null, 0, null, Instant.now(),
                    Duration.ZERO)));
            refused("queued command id", hostile, () -> queue.enqueue(QueuedCommand.pending(hostile,
                    "crm.Register", "{}", Metadata.empty(), null, Instant.now())));
            refused("queue partition key", hostile, () -> queue.enqueue(QueuedCommand.pending("q-1",
                    "crm.Register", "{}", Metadata.empty(), hostile, Instant.now())));
            refused("lease subscription", hostile, () -> leases.tryClaim(hostile, 0, 1, "n-1",
                    Duration.ofSeconds(5)));
            // An empty subject is a missing one (DataSubjectMissingException); an invalid one is invalid input.
            RuntimeException subject = assertThrows(RuntimeException.class, () -> eventsA.append(
                    StreamRef.of("customer", "c-9"), ExpectedVersion.any(),
                    List.of(new Registered(hostile, "ann@example.com", "gold"))));
            assertTrue(hostile.isEmpty() ? subject instanceof dev.eskit.gdpr.DataSubjectMissingException
                    : subject instanceof InvalidInputException, escape(hostile) + ": " + subject);
            refused("tenant id", hostile, () -> TenantId.of(hostile));
            refused("tenant id in metadata", hostile, () -> a.mark(Metadata.empty().with(
                    dev.eskit.tenancy.Tenancy.METADATA_KEY, hostile)));
            refused("command wire name", hostile, () -> dev.eskit.command.CommandType.of(hostile, Registered.class));
            refused("event wire name", hostile, () -> dev.eskit.codec.EventType.of(hostile, Registered.class));
            refused("read model", hostile, () -> a.changes(notifier).subscribe(List.of(
                    new dev.eskit.change.Topic(hostile, null))));
            refused("read model key", hostile, () -> a.changes(notifier).publish(dev.eskit.change.Change.of(
                    "balances", List.of(hostile), Position.START)));
        }
        assertEquals(before, rowCounts(), "nothing was written");
        // Look-alikes that are valid Unicode are simply other names: no collision with the plain one.
        eventsA.append(StreamRef.of("customer", "x?"), ExpectedVersion.noStream(), List.of(registered("q@x")));
        eventsA.append(StreamRef.of("customer", "x\uFF1F"), ExpectedVersion.noStream(), List.of(registered("f@x")));
        assertEquals(1, eventsA.load(StreamRef.of("customer", "x?")).size());
        assertEquals("f@x", ((Registered) eventsA.load(StreamRef.of("customer", "x\uFF1F")).get(0).data()).email());
    }

    private void rewrite(StoredEvent<?> event, Consumer<ObjectNode> change) throws Exception {
        String table = shared.tableNames().events();
        try (Connection raw = location.rawConnection()) {
            byte[] data;
            try (PreparedStatement select = raw.prepareStatement("SELECT data FROM " + table
                    + " WHERE stream_type = ? AND stream_id = ? AND version = ?")) {
                select.setString(1, event.streamType());
                select.setString(2, event.streamId());
                select.setLong(3, event.version());
                try (ResultSet row = select.executeQuery()) {
                    assertTrue(row.next(), "the row of " + event.stream() + " v" + event.version());
                    data = row.getBytes(1);
                }
            }
            ObjectNode node = (ObjectNode) JSON.readTree(data);
            change.accept(node);
            try (PreparedStatement update = raw.prepareStatement("UPDATE " + table
                    + " SET data = ? WHERE stream_type = ? AND stream_id = ? AND version = ?")) {
                update.setBytes(1, node.toString().getBytes(StandardCharsets.UTF_8));
                update.setString(2, event.streamType());
                update.setString(3, event.streamId());
                update.setLong(4, event.version());
                assertEquals(1, update.executeUpdate());
            }
        }
    }

    /** The email field as the shared store keeps it (the ciphertext envelope). */
    private ObjectNode raw(StoredEvent<?> event) throws Exception {
        ObjectNode[] found = new ObjectNode[1];
        rewrite(event, node -> found[0] = node.deepCopy());
        return found[0];
    }

    /**
     * Tenant A's event whose ciphertext was tampered with fails A's reads with a tamper error naming the event, and
     * never fails tenant B's reads or B's subscription.
     */
    @Test
    void oneTenantsTamperedEventNeverFailsAnotherTenantsReads() throws Exception {
        eventsB.append(C1, ExpectedVersion.noStream(), List.of(registered("bea@example.com")));
        eventsA.append(C1, ExpectedVersion.noStream(), List.of(registered("ann@example.com")));
        eventsB.append(C1, ExpectedVersion.exactly(1), List.of(registered("bea2@example.com")));
        StoredEvent<Object> victim = shared.load(a.stream(C1)).get(0);
        rewrite(victim, node -> {
            ObjectNode envelope = (ObjectNode) node.get("email");
            String data = envelope.get("d").asText();
            int at = data.length() / 2;
            envelope.put("d", data.substring(0, at) + (data.charAt(at) == 'A' ? 'B' : 'A') + data.substring(at + 1));
        });
        List<StoredEvent<Object>> readByB = eventsB.readAll(Position.START, 100);
        assertEquals(List.of("bea@example.com", "bea2@example.com"), readByB.stream()
                .map(e -> ((Registered) e.data()).email()).toList());
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription subB = Subscription.builder("all", eventsB, shared.checkpoints())
                .handler(event -> seen.add(((Registered) event.data()).email())).build().start()) {
            assertTrue(subB.awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(subB.failure().isEmpty());
        }
        assertEquals(2, seen.size());
        PersonalDataTamperedException e = assertThrows(PersonalDataTamperedException.class,
                () -> eventsA.load(C1));
        assertTrue(e.getMessage().contains("c-1"), "names the stream: " + e.getMessage());
        assertTrue(e.getMessage().contains(victim.position().toString()), "names the position: " + e.getMessage());
        assertThrows(PersonalDataTamperedException.class, () -> eventsA.readAll(Position.START, 100));
    }

    /**
     * Tenant A forgets its subject c-1 and uses the id again: A's old event reads as erased, its new one in clear, B's
     * c-1 is untouched, and every reader (A, B, the operator's shared store) keeps reading the whole log.
     */
    @Test
    void forgettingASubjectAndUsingItsIdAgainKeepsEveryReaderWorking() {
        eventsA.append(C1, ExpectedVersion.noStream(), List.of(registered("ann@example.com")));
        eventsB.append(C1, ExpectedVersion.noStream(), List.of(registered("bea@example.com")));
        assertEquals(1, protector.forget(A, "c-1"));
        assertEquals(0, protector.forget(A, "c-1"), "forgotten already");
        eventsA.append(C1, ExpectedVersion.exactly(1), List.of(registered("new@example.com")));
        assertEquals(List.of(FieldCipher.ERASED, "new@example.com"), eventsA.load(C1).stream()
                .map(e -> ((Registered) e.data()).email()).toList());
        assertEquals("bea@example.com", ((Registered) eventsB.load(C1).get(0).data()).email());
        assertEquals(2, eventsA.readAll(Position.START, 100).size());
        assertEquals(1, eventsB.readAll(Position.START, 100).size());
        assertEquals(3, shared.readAll(Position.START, 100).size(), "the operator reads the whole log");
        assertEquals(1, protector.forget(A, "c-1"), "the reused id has its own key, forgotten in turn");
        assertEquals(List.of(FieldCipher.ERASED, FieldCipher.ERASED), eventsA.load(C1).stream()
                .map(e -> ((Registered) e.data()).email()).toList());
        assertEquals("bea@example.com", ((Registered) eventsB.load(C1).get(0).data()).email());
    }

    /**
     * Ciphertext copied into another event of the same subject, or into the other tenant's event of the same subject
     * id, does not decrypt there: the read fails as tampering (or a key error) naming the event it was moved into.
     */
    @Test
    void ciphertextMovedBetweenEventsOrTenantsFailsAsTampering() throws Exception {
        eventsA.append(C1, ExpectedVersion.noStream(), List.of(registered("ann@example.com"),
                registered("ann2@example.com")));
        eventsB.append(C1, ExpectedVersion.noStream(), List.of(registered("bea@example.com")));
        List<StoredEvent<Object>> storedA = shared.load(a.stream(C1));
        StoredEvent<Object> storedB = shared.load(b.stream(C1)).get(0);
        var first = raw(storedA.get(0)).get("email");
        assertTrue(first.isObject() && first.has("d"), "an envelope: " + first);
        rewrite(storedA.get(1), node -> node.set("email", first.deepCopy()));
        RuntimeException moved = assertThrows(RuntimeException.class, () -> eventsA.load(C1));
        assertTrue(moved instanceof PersonalDataTamperedException, "moved within a subject: " + moved);
        assertTrue(moved.getMessage().contains(storedA.get(1).position().toString())
                || moved.getMessage().contains("version 2"), "names the event: " + moved.getMessage());
        rewrite(storedB, node -> node.set("email", first.deepCopy()));
        RuntimeException across = assertThrows(RuntimeException.class, () -> eventsB.load(C1));
        assertTrue(across instanceof PersonalDataTamperedException, "moved across tenants: " + across);
        assertFalse(across.getMessage().contains("ann@example.com"), across.getMessage());
    }

    /**
     * A key error (the data key wrapped by a master key this node does not have) met on a tenant's read names the
     * event: field, version, stream, position; the other tenant's reads of its own data are not affected.
     */
    @Test
    void keyErrorsNameTheEvent() {
        eventsA.append(C1, ExpectedVersion.noStream(), List.of(registered("ann@example.com")));
        StoredEvent<Object> stored = shared.load(a.stream(C1)).get(0);
        SubjectKeys otherMaster = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi, tables(location)),
                MasterKey.generate("m2"));
        JdbiEventStore node = db().track(location.builder(PersonalDataProtector.create(otherMaster,
                new CrmPersonalData()).codec(PersonalDataContract.TYPES)).build());
        RuntimeException e = assertThrows(dev.eskit.gdpr.KeyManagementException.class,
                () -> a.events(node).load(C1));
        for (String part : List.of("\"email\"", "customer/c-1", stored.position().toString(), "event 1")) {
            assertTrue(e.getMessage().contains(part), "names " + part + ": " + e.getMessage());
        }
        assertTrue(b.events(node).load(C1).isEmpty());
    }

    /**
     * The write amplification of the issue (10,000 events with 63 KiB of metadata each, about 630 MB) through a
     * tenant's view: refused before any event is encoded, nothing written.
     */
    @Test
    void anAppendOverTheTotalLimitThroughAViewIsRefusedBeforeAnythingIsWritten() throws Exception {
        Map<String, Long> before = rowCounts();
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < dev.eskit.Limits.MAX_EVENTS_PER_APPEND; i++) {
            events.add(new Registered("c-" + i, "e" + i + "@example.com", "gold"));
        }
        Metadata bulky = Metadata.empty().with("note", "m".repeat(63 * 1024));
        long start = System.nanoTime();
        dev.eskit.BatchTooLargeException e = assertThrows(dev.eskit.BatchTooLargeException.class, () -> eventsA
                .append(AppendRequest.of(C1, ExpectedVersion.any(), events).withMetadata(bulky)));
        assertTrue(e.getMessage().contains("Split it"), e.getMessage());
        assertEquals(before, rowCounts(), "nothing was written");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "refused before encoding");
    }

    /** A tenant's view refuses to reach another tenant's partition leases by name (they are kept per tenant). */
    @Test
    void leasesTakenThroughOneTenantAreNotAnotherTenants() {
        var shared = JdbiPartitionLeases.create(jdbi, this.shared);
        var leaseA = a.partitionLeases(shared).tryClaim("orders", 0, 1, "n-1", Duration.ofMinutes(1)).orElseThrow();
        assertThrows(InvalidTenantException.class, () -> b.partitionLeases(shared).release(leaseA));
        assertTrue(shared.isHeld(leaseA));
        assertTrue(b.partitionLeases(shared).tryClaim("orders", 0, 1, "n-2", Duration.ofMinutes(1)).isPresent());
    }

    /**
     * Two tenants send a command with the same id, holding the same subject id's personal data, through their durable
     * queues (one shared queue table) and command logs (one shared log table): each tenant's command runs once on its
     * own stream, each is logged under its own entry, neither is found through the other's views, no table holds the
     * plaintext, and after tenant A forgets its subject A's command reads as erased while B's still opens.
     */
    @Test
    void commandsOfTwoTenantsWithOneIdStayApartInTheQueueAndTheLogAndAreForgottenPerTenant() throws Exception {
        dev.eskit.command.CommandTypes types = dev.eskit.command.CommandTypes.of(
                dev.eskit.command.CommandType.of("crm.Registered", Registered.class));
        JdbiCommandLog log = JdbiCommandLog.create(jdbi, shared);
        JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(jdbi, shared);
        dev.eskit.Decider<Integer, Registered, Registered> decider = dev.eskit.Decider.of(() -> 0,
                (state, command) -> List.of(command), (state, event) -> state + 1);
        dev.eskit.tenancy.TenantCommandBus buses = dev.eskit.tenancy.TenantCommandBus.create(shared,
                store -> dev.eskit.command.CommandBus.builder(store)
                        .register(dev.eskit.command.CommandRoute.of(Registered.class, "customer",
                                Registered::customerId, decider))
                        .commandLog(dev.eskit.command.log.CommandRecorder.of(TenantScope.of(store).orElseThrow()
                                .commandLog(log), types))
                        .build());
        var queueA = dev.eskit.command.queue.CommandQueue.builder(queueStore, buses.forTenant(A), types).workers(0)
                .build();
        var queueB = dev.eskit.command.queue.CommandQueue.builder(queueStore, buses.forTenant(B), types).workers(0)
                .build();
        var context = new dev.eskit.command.CommandContext("cmd-1", Metadata.empty(), "cmd-1");
        queueA.enqueue(registered("ann@example.com"), context);
        queueB.enqueue(registered("bea@example.com"), context);
        assertTrue(queueA.find("cmd-1").orElseThrow().payload().contains("\"d\""), "the payload is sealed");
        assertEquals(1, queueA.runOnce());
        assertEquals(1, queueB.runOnce());
        assertEquals("ann@example.com", ((Registered) eventsA.load(C1).get(0).data()).email());
        assertEquals("bea@example.com", ((Registered) eventsB.load(C1).get(0).data()).email());
        CommandLog logA = a.commandLog(log);
        CommandLog logB = b.commandLog(log);
        assertEquals(CommandOutcome.ACCEPTED, logA.find("cmd-1").orElseThrow().outcome());
        assertEquals(CommandOutcome.ACCEPTED, logB.find("cmd-1").orElseThrow().outcome(),
                "B's entry of the same id was not dropped as a duplicate of A's");
        assertTrue(logB.find("acme::cmd-1").isEmpty());
        assertTrue(queueB.find("acme::cmd-1").isEmpty());
        var recorderA = dev.eskit.command.log.CommandRecorder.of(logA, types);
        var recorderB = dev.eskit.command.log.CommandRecorder.of(logB, types);
        assertTrue(recorderA.readablePayload(logA.find("cmd-1").orElseThrow()).contains("ann@example.com"));
        try (Connection raw = location.rawConnection()) {
            for (String secret : List.of("ann@example.com", "bea@example.com")) {
                assertEquals(List.of(), PersonalDataForgetContract.tablesWith(raw, shared.tableNames(), secret));
            }
        }
        assertEquals(1, protector.forget(A, "c-1"));
        assertFalse(recorderA.readablePayload(logA.find("cmd-1").orElseThrow()).contains("ann@example.com"));
        assertTrue(recorderB.readablePayload(logB.find("cmd-1").orElseThrow()).contains("bea@example.com"),
                "forgetting A's subject c-1 left B's subject c-1 alone");
        assertEquals(FieldCipher.ERASED, ((Registered) eventsA.load(C1).get(0).data()).email());
        assertEquals("bea@example.com", ((Registered) eventsB.load(C1).get(0).data()).email());
    }

    /**
     * Tenants' buses given the recorder of the shared log (nothing scoped by hand): each tenant's entries are kept
     * under {@code <tenant>::<id>} with the tenant in their metadata, rejected commands too, no row of the log table is
     * unscoped, the other tenant's view finds and lists none of them, and the payloads are under each tenant's keys.
     */
    @Test
    void aTenantsBusGivenTheSharedLogWritesNoUnscopedEntry() throws Exception {
        dev.eskit.command.CommandTypes types = dev.eskit.command.CommandTypes.of(
                dev.eskit.command.CommandType.of("crm.Registered", Registered.class));
        JdbiCommandLog log = JdbiCommandLog.create(jdbi, shared);
        dev.eskit.command.log.CommandRecorder recorder = dev.eskit.command.log.CommandRecorder.of(log, types);
        dev.eskit.Decider<Integer, Registered, Registered> decider = dev.eskit.Decider.of(() -> 0, (state, command) -> {
            if (command.plan().equals("bad")) {
                throw new IllegalStateException("refused " + command.email());
            }
            return List.of(command);
        }, (state, event) -> state + 1);
        dev.eskit.tenancy.TenantCommandBus buses = dev.eskit.tenancy.TenantCommandBus.create(shared,
                store -> dev.eskit.command.CommandBus.builder(store)
                        .register(dev.eskit.command.CommandRoute.of(Registered.class, "customer",
                                Registered::customerId, decider))
                        .commandLog(recorder)
                        .build());
        buses.forTenant(A).send(registered("ann@example.com"), new dev.eskit.command.CommandContext("cmd-1", null,
                null));
        buses.send(registered("bea@example.com"), dev.eskit.tenancy.Tenancy.withTenant(
                new dev.eskit.command.CommandContext("cmd-1", null, null), B));
        assertThrows(IllegalStateException.class, () -> buses.forTenant(A).send(new Registered("c-1",
                "ann-rejected@example.com", "bad"), new dev.eskit.command.CommandContext("cmd-2", null, null)));
        Map<String, String> rows = new TreeMap<>();
        try (Connection raw = location.rawConnection();
             Statement statement = raw.createStatement();
             ResultSet found = statement.executeQuery("SELECT command_id, extras FROM "
                     + shared.tableNames().table("command_log"))) {
            while (found.next()) {
                rows.put(found.getString(1), found.getString(2).replace(" ", ""));
            }
            List<String> secrets = List.of("ann@example.com", "bea@example.com", "ann-rejected@example.com");
            for (String secret : secrets) {
                assertEquals(List.of(), PersonalDataForgetContract.tablesWith(raw, shared.tableNames(), secret));
            }
            PersonalDataForgetContract.assertNotInDatabaseFiles(raw, secrets);
        }
        assertEquals(List.of("acme-::cmd-1", "acme::cmd-1", "acme::cmd-2"), List.copyOf(rows.keySet()),
                "every row scoped, B's cmd-1 not dropped as A's duplicate");
        rows.forEach((id, metadata) -> assertTrue(metadata.contains("\"eskit.tenant\":\""
                + id.substring(0, id.indexOf("::")) + "\""), id + " carries its tenant: " + metadata));
        CommandLog logA = a.commandLog(log);
        CommandLog logB = b.commandLog(log);
        assertEquals(List.of("cmd-1"), logB.list(dev.eskit.command.log.CommandLogQuery.latest(100)).stream()
                .map(CommandLogEntry::commandId).toList(), "B lists none of A's entries");
        assertTrue(logB.find("cmd-2").isEmpty() && logB.find("acme::cmd-2").isEmpty());
        assertEquals(CommandOutcome.REJECTED, logA.find("cmd-2").orElseThrow().outcome());
        assertEquals(2, logA.list(dev.eskit.command.log.CommandLogQuery.latest(100)).size());
        assertEquals(1, protector.forget(A, "c-1"));
        assertTrue(recorder.forTenant(a).readablePayload(logA.find("cmd-1").orElseThrow()).contains(FieldCipher.ERASED));
        assertTrue(recorder.forTenant(b).readablePayload(logB.find("cmd-1").orElseThrow())
                .contains("bea@example.com"), "B's subject c-1 is under B's key");
    }

    /**
     * Live views: both tenants run read model "balances" (a transactional projection in the database and a plain
     * one, announcing on one shared notifier); a tenant's subscribers get its own changes under its own names, never
     * the other tenant's changes, keys, rebuild resyncs or history.
     */
    @Test
    void liveViewsOfTwoTenantsNeverShareChanges() throws Exception {
        dev.eskit.change.ChangeNotifier notifier = dev.eskit.change.ChangeNotifier.create();
        List<dev.eskit.subscription.Subscription> running = new ArrayList<>();
        List<dev.eskit.change.ChangeSubscription> live = new ArrayList<>();
        try {
            dev.eskit.projection.Projector plain = notifier.announcing(dev.eskit.projection.Projector.of("plain",
                    java.util.Set.of("crm.Registered"), event -> { }), dev.eskit.change.ChangeKeys.streamId());
            for (TenantScope tenant : List.of(a, b)) {
                var announcing = tenant.changes(notifier).announcing("balances",
                        dev.eskit.jdbi.subscription.JdbiTransactor.of(jdbi, shared),
                        dev.eskit.change.ChangeKeys.streamId());
                running.add(dev.eskit.subscription.Subscription.builder("balances", tenant.events(shared),
                                shared.checkpoints())
                        .transactional(announcing, announcing.handler((handle, event) -> { })).build().start());
                running.add(plain.subscription(tenant.events(shared), shared.checkpoints()).build().start());
                live.add(tenant.changes(notifier).subscribe(List.of(dev.eskit.change.Topic.of("balances"),
                        dev.eskit.change.Topic.of("plain"))));
            }
            var forged = b.changes(notifier).subscribe(List.of(dev.eskit.change.Topic.of("acme::balances"),
                    dev.eskit.change.Topic.of("balances", "a-secret")));
            live.add(forged);
            var shared = notifier.subscribe(List.of(dev.eskit.change.Topic.of("balances")));
            live.add(shared);
            eventsA.append(StreamRef.of("customer", "a-secret"), ExpectedVersion.noStream(),
                    List.of(new Registered("a-secret", "ann@example.com", "gold")));
            eventsB.append(C1, ExpectedVersion.noStream(), List.of(registered("bea@example.com")));
            for (var subscription : running) {
                assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)), subscription.toString());
            }
            List<String> seenByA = new ArrayList<>();
            List<String> seenByB = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                seenByA.add(change(live.get(0)));
                seenByB.add(change(live.get(1)));
            }
            assertEquals(List.of("balances[a-secret]", "plain[a-secret]"), seenByA.stream().sorted().toList());
            assertEquals(List.of("balances[c-1]", "plain[c-1]"), seenByB.stream().sorted().toList());
            running.get(1).rebuild();
            assertTrue(running.get(1).awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(live.get(0).poll(Duration.ofSeconds(30)).orElseThrow() instanceof dev.eskit.change.Resync);
            for (var quiet : List.of(live.get(1), forged, shared)) {
                assertEquals(java.util.Optional.empty(), quiet.poll(), "nothing of A's: " + quiet);
            }
            try (var resumed = b.changes(notifier).subscribe(List.of(dev.eskit.change.Topic.of("balances")),
                    Position.START, 10)) {
                var first = resumed.poll().orElseThrow();
                assertFalse(first instanceof dev.eskit.change.Change c && c.keys().contains("a-secret"), "" + first);
            }
        } finally {
            live.forEach(dev.eskit.change.ChangeSubscription::close);
            running.forEach(dev.eskit.subscription.Subscription::close);
        }
    }

    private static String change(dev.eskit.change.ChangeSubscription subscription) throws InterruptedException {
        var signal = subscription.poll(Duration.ofSeconds(30)).orElseThrow();
        var change = (dev.eskit.change.Change) signal;
        return change.readModel() + change.keys();
    }

    /**
     * Two tenants' queues, four workers each, drain one shared queue table at the same time with the same command ids
     * and the same streams: every command runs exactly once in its own tenant's stream, and each tenant's streams get
     * their commands in enqueue order (partition keys are per tenant).
     */
    @Test
    void twoTenantsQueuesDrainOneTableConcurrentlyWithoutTouchingEachOther() throws Exception {
        dev.eskit.command.CommandTypes types = dev.eskit.command.CommandTypes.of(
                dev.eskit.command.CommandType.of("crm.Registered", Registered.class));
        JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(jdbi, shared);
        dev.eskit.Decider<Integer, Registered, Registered> decider = dev.eskit.Decider.of(() -> 0,
                (state, command) -> List.of(command), (state, event) -> state + 1);
        dev.eskit.tenancy.TenantCommandBus buses = dev.eskit.tenancy.TenantCommandBus.create(shared,
                store -> dev.eskit.command.CommandBus.builder(store)
                        .register(dev.eskit.command.CommandRoute.of(Registered.class, "customer",
                                Registered::customerId, decider))
                        .retry(dev.eskit.Retry.attempts(10))
                        .build());
        int count = 40;
        List<java.util.concurrent.CompletableFuture<dev.eskit.command.queue.QueueResult>> results = new ArrayList<>();
        List<dev.eskit.command.queue.CommandQueue> queues = new ArrayList<>();
        try {
            for (TenantId tenant : List.of(A, B)) {
                queues.add(dev.eskit.command.queue.CommandQueue.builder(queueStore, buses.forTenant(tenant), types)
                        .workers(4).batchSize(4).partitionByStream().pollInterval(Duration.ofMillis(20)).build()
                        .start());
            }
            for (int i = 0; i < count; i++) {
                for (int q = 0; q < 2; q++) {
                    String id = "h-" + i;
                    queues.get(q).enqueue(new Registered("s-" + (i % 5), (q == 0 ? "a" : "b") + i + "@x", "p"),
                            new dev.eskit.command.CommandContext(id, Metadata.empty(), id));
                    results.add(queues.get(q).await(id));
                }
            }
            java.util.concurrent.CompletableFuture.allOf(results.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(120, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            queues.forEach(dev.eskit.command.queue.CommandQueue::stop);
        }
        results.forEach(r -> assertTrue(r.join().succeeded(), r.join().toString()));
        for (int q = 0; q < 2; q++) {
            EventStore events = q == 0 ? eventsA : eventsB;
            String mark = q == 0 ? "a" : "b";
            int total = 0;
            for (int s = 0; s < 5; s++) {
                List<String> emails = events.load(StreamRef.of("customer", "s-" + s)).stream()
                        .map(e -> ((Registered) e.data()).email()).toList();
                List<String> expected = new ArrayList<>();
                for (int i = s; i < count; i += 5) {
                    expected.add(mark + i + "@x");
                }
                assertEquals(expected, emails, "tenant " + mark + ", stream s-" + s + ": once each, in order");
                total += emails.size();
            }
            assertEquals(count, total);
        }
    }

    /**
     * A tenant's bus with {@code queueOutcomes} on the shared queue store records a queued command's outcome in its
     * append's transaction, as for a bus outside any tenant: a failure after the append cannot undo it.
     */
    @Test
    void aTenantsQueuedOutcomeCommitsWithItsAppend() throws Exception {
        dev.eskit.command.CommandTypes types = dev.eskit.command.CommandTypes.of(
                dev.eskit.command.CommandType.of("crm.Registered", Registered.class));
        JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(jdbi, shared);
        dev.eskit.Decider<Integer, Registered, Registered> decider = dev.eskit.Decider.of(() -> 0,
                (state, command) -> List.of(command), (state, event) -> state + 1);
        dev.eskit.command.CommandBus failingAfter = dev.eskit.command.CommandBus.builder(eventsA)
                .register(dev.eskit.command.CommandRoute.of(Registered.class, "customer", Registered::customerId,
                        decider))
                .queueOutcomes(queueStore).middleware((envelope, next) -> {
                    next.proceed(envelope);
                    throw new IllegalStateException("failed after the append");
                }).build();
        var queue = dev.eskit.command.queue.CommandQueue.builder(queueStore, failingAfter, types).build();
        String id = queue.enqueue(registered("ann@example.com"));
        assertEquals(1, queue.runOnce());
        var result = queue.await(id).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(result.succeeded(), "recorded with the events: " + result);
        assertEquals(1, result.streamVersion());
        assertEquals(dev.eskit.command.queue.QueueStatus.SUCCEEDED,
                queueStore.find("acme::" + id).orElseThrow().status());
        assertEquals(1, eventsA.streamVersion(C1));
        assertEquals(0, eventsB.streamVersion(C1));
    }
}
