package dev.eskit.testkit.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.dcb.TaggedEvent;
import dev.eskit.leader.LeaderElection;
import dev.eskit.leader.Leadership;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandHandler;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueueClaim;
import dev.eskit.command.queue.QueueFinish;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.partition.PartitionLease;
import dev.eskit.partition.PartitionLeaseStore;
import dev.eskit.partition.PartitionedSubscription;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.WrappedKey;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import dev.eskit.testkit.domain.Deposited;
import dev.eskit.testkit.domain.TestEventTypes;
import dev.eskit.todo.TodoClaim;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tenancy as a hostile tester probes it, for every shared store a tenant can reach: two tenants whose ids are as close
 * as the rules allow ({@code acme} and {@code acme-}) use the same stream ids, idempotency keys, subscription names,
 * todo lists, subject ids, DCB tags and queries and leader-election names, and neither can read, write or delete the
 * other's data. A store implementation runs it
 * by extending this class:
 *
 * <pre>{@code
 * class SqliteTenancyConformanceTest extends TenancyConformance {
 *     @Override
 *     protected SharedStores createStores(EventTypes types) { ... }
 * }
 * }</pre>
 */
public abstract class TenancyConformance {

    /**
     * The shared stores of one database, as an application wires them for all its tenants.
     *
     * @param events      the shared event store (a {@link StreamAdmin} too when it offers stream administration)
     * @param snapshots   its snapshot store
     * @param checkpoints its checkpoint store
     * @param deadLetters its dead-letter store
     * @param todos       its todo store
     * @param subjectKeys its subject key store
     */
    public record SharedStores(EventStore events, SnapshotStore snapshots, CheckpointStore checkpoints,
                               DeadLetterStore deadLetters, TodoStore todos, SubjectKeyStore subjectKeys) {
    }

    /** New, empty shared stores on one database that knows {@code types}. */
    protected abstract SharedStores createStores(EventTypes types);

    /**
     * Makes the stored data of {@code event} (as the shared store keeps it) unreadable, as a hand edit or a bug in
     * another application could; returns {@code false} when the store cannot hold unreadable data (in memory).
     */
    protected boolean corrupt(SharedStores stores, StoredEvent<?> event) {
        return false;
    }

    /**
     * A leader election as one application node sees it; called once per node in a test. The default hands every
     * node one in-memory election per test (one JVM); a database election returns a new node (connection) per call.
     */
    protected LeaderElection leaderElectionNode(SharedStores stores) {
        if (inMemoryElection == null) {
            inMemoryElection = LeaderElection.inMemory();
        }
        return inMemoryElection;
    }

    /**
     * The durable command queue store on the same database as {@code stores}, shared by every tenant; called once per
     * test that needs it. The default is a new in-memory queue store.
     */
    protected dev.eskit.command.queue.CommandQueueStore commandQueue(SharedStores stores) {
        return dev.eskit.command.queue.CommandQueueStore.inMemory();
    }

    /**
     * The partition lease store on the same database as {@code stores}, shared by every tenant; called once per test
     * that needs it. The default is a new in-memory lease store.
     */
    protected dev.eskit.partition.PartitionLeaseStore partitionLeases(SharedStores stores) {
        return dev.eskit.partition.PartitionLeaseStore.inMemory();
    }

    /**
     * The command log on the same database as {@code stores}, shared by every tenant; called once per test that needs
     * it. The default is a new in-memory log.
     */
    protected dev.eskit.command.log.CommandLog commandLog(SharedStores stores) {
        return dev.eskit.command.log.CommandLog.inMemory();
    }

    private LeaderElection inMemoryElection;
    private final List<LeaderElection> nodes = new ArrayList<>();

    /** Closes the stores after each test; the default closes the event store. */
    protected void close(SharedStores stores) {
        stores.events().close();
    }

    /** Tenant ids an attacker might try: each is refused before anything is read or written. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "acme ", "ACME", "acme:", "acme::x", ":acme", "a/b", "a.b", "a\\b", "a'b",
            "a\"b", "a;b", "a%b", "a*", "\u0430cme", "\uFF41cme", "acme\u200B", "acm\u00E9", "acme\0", "acme\uD800",
            "acme\n", "-acme", "_acme"})
    void hostileTenantIdsAreRefused(String value) {
        assertThrows(InvalidTenantException.class, () -> TenantId.of(value));
    }

    private static final TenantId A = TenantId.of("acme");
    private static final TenantId B = TenantId.of("acme-");
    private static final StreamRef ACCOUNT = StreamRef.of("account", "x' OR '1'='1");
    /** What tenant B tries in order to reach tenant A's stream. */
    private static final List<StreamRef> FORGED = List.of(StreamRef.of("acme::account", ACCOUNT.id()),
            StreamRef.of("::account", ACCOUNT.id()), StreamRef.of(":account", ACCOUNT.id()),
            StreamRef.of("account", ACCOUNT.id()));

    private SharedStores stores;
    private TenantScope a;
    private TenantScope b;
    private EventStore eventsA;
    private EventStore eventsB;

    @BeforeEach
    void createSharedStores() {
        stores = createStores(TestEventTypes.all());
        a = TenantScope.of(A);
        b = TenantScope.of(B);
        eventsA = a.events(stores.events());
        eventsB = b.events(stores.events());
    }

    @AfterEach
    void closeSharedStores() {
        nodes.forEach(LeaderElection::close);
        close(stores);
    }

    /**
     * The log read of {@code store} once it holds {@code expected} events, waiting up to 30 seconds: on PostgreSQL the
     * log shows committed events only below a horizon that other transactions on the server can hold back.
     */
    private static List<StoredEvent<Object>> readAll(EventStore store, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<StoredEvent<Object>> events = store.readAll(Position.START, 100);
            if (events.size() >= expected || System.nanoTime() > deadline) {
                return events;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static long sum(List<StoredEvent<Object>> events) {
        return events.stream().mapToLong(e -> ((Deposited) e.data()).amountCents()).sum();
    }

    /**
     * An append through B's view whose metadata names another tenant ({@code eskit.tenant}, which code reading the
     * shared log and the command log trust) is refused with nothing written; B's own tenant or none is accepted.
     */
    @Test
    void appendsMarkedAsAnotherTenantsAreRefused() {
        for (String forged : List.of("acme", "acme--", "\u0430cme-", "acme-::x", "", "ACME-", "acme-\uD800")) {
            Metadata metadata = Metadata.empty().with(Tenancy.METADATA_KEY, forged);
            RuntimeException e = assertThrows(RuntimeException.class, () -> eventsB.append(
                    dev.eskit.AppendRequest.of(ACCOUNT, ExpectedVersion.any(), List.of(new Deposited("x", 1)))
                            .withMetadata(metadata)));
            assertTrue(e instanceof InvalidInputException, forged + ": " + e);
        }
        assertTrue(stores.events().readAll(Position.START, 100).isEmpty(), "nothing written");
        eventsB.append(dev.eskit.AppendRequest.of(ACCOUNT, ExpectedVersion.noStream(), List.of(new Deposited("x", 1)))
                .withMetadata(Metadata.empty().with(Tenancy.METADATA_KEY, "acme-")));
        eventsB.append(ACCOUNT, ExpectedVersion.exactly(1), List.of(new Deposited("x", 1)));
        assertEquals(2, eventsB.streamVersion(ACCOUNT));
    }

    @Test
    void eventsAndIdempotencyKeysAreSeparate() {
        eventsA.append(dev.eskit.AppendRequest.of(ACCOUNT, ExpectedVersion.noStream(),
                List.of(new Deposited("x", 1_000_000))).withIdempotencyKey("k"));
        for (StreamRef forged : FORGED) {
            assertTrue(eventsB.load(forged).isEmpty(), forged.toString());
            assertEquals(0, eventsB.streamVersion(forged), forged.toString());
        }
        assertTrue(eventsB.findIdempotentAppend("k").isEmpty());
        assertTrue(eventsB.readAll(Position.START, 100).isEmpty());
        assertTrue(eventsB.readStreamType("account", Position.START, 100).isEmpty());
        assertTrue(eventsB.readStreamType("acme::account", Position.START, 100).isEmpty());
        assertEquals(Position.START, eventsB.latestPosition());
        var second = eventsB.append(dev.eskit.AppendRequest.of(ACCOUNT, ExpectedVersion.noStream(),
                List.of(new Deposited("x", 4))).withIdempotencyKey("k"));
        assertFalse(second.duplicate(), "tenant B's key k is not tenant A's");
        assertEquals(4, sum(readAll(eventsB, 1)));
        assertEquals(1_000_000, sum(readAll(eventsA, 1)));
        assertEquals(ACCOUNT, eventsA.load(ACCOUNT).get(0).stream());
    }

    @Test
    void commandHandlersOfTwoTenantsNeverShareASnapshot() {
        Decider<Long, Long, Deposited> decider = Decider.of(() -> 0L, (state, amount) -> List.of(
                new Deposited("x", amount)), (state, event) -> state + event.amountCents());
        StateCodec<Long> codec = new StateCodec<>() {
            @Override
            public String schema() {
                return "long-1";
            }

            @Override
            public byte[] encode(Long state) {
                return state.toString().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Long decode(byte[] data) {
                return Long.parseLong(new String(data, StandardCharsets.UTF_8));
            }
        };
        // Both handlers are given the SHARED snapshot store, as in the reported attack.
        CommandHandler<Long, Long, Deposited> handlerA = CommandHandler.builder(eventsA, decider, "account")
                .snapshots(stores.snapshots(), codec, 1).build();
        CommandHandler<Long, Long, Deposited> handlerB = CommandHandler.builder(eventsB, decider, "account")
                .snapshots(stores.snapshots(), codec, 1).build();
        handlerA.handle("a-1", 1_000_000L);
        handlerA.handle("a-1", 1_000_000L);
        handlerB.handle("a-1", 2L);
        assertEquals(4L, handlerB.handle("a-1", 2L).state());
        assertEquals(2_000_003L, handlerA.handle("a-1", 3L).state());
        assertTrue(stores.snapshots().load(StreamRef.of("account", "a-1")).isEmpty(), "no unscoped snapshot");
        assertEquals(Optional.empty(), b.snapshots(stores.snapshots()).load(StreamRef.of("acme::account", "a-1")));
        assertThrows(InvalidTenantException.class, () -> CommandHandler.builder(eventsB, decider, "account")
                .snapshots(a.snapshots(stores.snapshots()), codec, 1).build());
    }

    private Subscription failingSubscription(EventStore store, List<String> seen, boolean fail) {
        return Subscription.builder("balances", store, stores.checkpoints())
                .deadLetters(stores.deadLetters())
                .retry(Backoff.noRetry())
                .handler(event -> {
                    seen.add(event.streamId());
                    if (fail) {
                        throw new IllegalStateException("cannot handle " + event.data());
                    }
                })
                .build();
    }

    @Test
    void deadLettersAndCheckpointsOfSameNamedSubscriptionsAreSeparate() {
        eventsA.append(ACCOUNT, ExpectedVersion.noStream(), List.of(new Deposited("x", 7)));
        List<String> seenA = new CopyOnWriteArrayList<>();
        List<String> seenB = new CopyOnWriteArrayList<>();
        try (Subscription subA = failingSubscription(eventsA, seenA, true).start()) {
            assertTrue(subA.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(1, subA.deadLetters().size());
        }
        eventsB.append(ACCOUNT, ExpectedVersion.noStream(), List.of(new Deposited("x", 8)));
        try (Subscription subB = failingSubscription(eventsB, seenB, false).start()) {
            assertTrue(subB.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(List.of(ACCOUNT.id()), seenB, "B's subscription starts at B's own checkpoint");
            assertTrue(subB.deadLetters().isEmpty(), "B sees none of A's dead letters");
            subB.rebuild();
        }
        DeadLetterStore lettersA = a.deadLetters(stores.deadLetters());
        DeadLetterStore lettersB = b.deadLetters(stores.deadLetters());
        List<DeadLetter> left = lettersA.list("balances", 10);
        assertEquals(1, left.size(), "B's rebuild left A's dead letter alone");
        assertEquals(ACCOUNT, left.get(0).stream());
        UUID id = left.get(0).id();
        assertTrue(lettersB.find(id).isEmpty());
        assertFalse(lettersB.delete(id));
        assertEquals(0, lettersB.deleteAll("balances"));
        assertEquals(1, lettersA.count("balances"));
        CheckpointStore checkpointsB = b.checkpoints(stores.checkpoints());
        checkpointsB.delete("balances");
        assertTrue(a.checkpoints(stores.checkpoints()).load("balances").isPresent());
    }

    @Test
    void todoListsAreSeparate() {
        TodoStore todoA = a.todos(stores.todos());
        TodoStore todoB = b.todos(stores.todos());
        assertTrue(todoA.add("mail", "m-1", "{\"to\":\"a@example.com\"}"));
        assertTrue(todoB.add("mail", "m-1", "{\"to\":\"b@example.com\"}"), "same id, other tenant");
        assertTrue(todoB.find("acme::mail", "m-1").isEmpty());
        List<TodoClaim> claims = todoB.claim("mail", "worker", 10, Duration.ofMinutes(1));
        assertEquals(1, claims.size());
        assertEquals("{\"to\":\"b@example.com\"}", claims.get(0).item().payload());
        assertEquals("mail", claims.get(0).item().list());
        assertTrue(todoB.complete(claims.get(0)));
        assertTrue(todoB.delete("mail", "m-1"));
        assertFalse(todoB.retry("mail", "m-1"));
        assertEquals(TodoStatus.PENDING, todoA.find("mail", "m-1").orElseThrow().status());
        assertEquals(1, todoA.list("mail", TodoStatus.PENDING, 10).size());
    }

    @Test
    void streamAdministrationReachesOnlyTheTenantsStreams() {
        if (!(stores.events() instanceof StreamAdmin shared)) {
            return;
        }
        eventsA.append(ACCOUNT, ExpectedVersion.noStream(), List.of(new Deposited("x", 1)));
        StreamAdmin adminB = b.admin(shared);
        for (StreamRef forged : FORGED) {
            adminB.archive(forged);
            adminB.tombstone(forged);
            assertEquals(0, adminB.delete(forged), forged.toString());
        }
        StreamAdmin adminA = a.admin(shared);
        assertEquals(StreamStatus.ACTIVE, adminA.status(ACCOUNT));
        assertTrue(adminA.tombstoneOf(ACCOUNT).isEmpty());
        StreamRef own = StreamRef.of("account", "b-own");
        adminB.tombstone(own, "closed by B");
        assertEquals(new dev.eskit.Tombstone(own, "closed by B", adminB.tombstoneOf(own).orElseThrow().at()),
                adminB.tombstoneOf(own).orElseThrow());
        assertTrue(adminA.tombstoneOf(own).isEmpty());
        eventsA.append(ACCOUNT, ExpectedVersion.exactly(1), List.of(new Deposited("x", 2)));
        assertEquals(3, sum(eventsA.load(ACCOUNT)));
    }

    @Test
    void subjectKeysAreSeparate() {
        SubjectKeyStore keysA = a.subjectKeys(stores.subjectKeys());
        SubjectKeyStore keysB = b.subjectKeys(stores.subjectKeys());
        keysA.insert(new WrappedKey("c-1", 1, "m", new byte[] {1, 2, 3}));
        assertTrue(keysB.latest("c-1").isEmpty());
        assertTrue(keysB.latest("acme::c-1").isEmpty());
        assertEquals(0, keysB.forget("c-1"));
        assertEquals(0, keysB.forget("acme::c-1"));
        assertTrue(keysB.wrappedByOtherThan("other", 100).isEmpty());
        assertEquals("c-1", keysA.latest("c-1").orElseThrow().subjectId());
    }

    @Test
    void oneTenantsUnreadableEventNeverFailsAnotherTenantsReads() {
        eventsB.append(ACCOUNT, ExpectedVersion.noStream(), List.of(new Deposited("x", 1)));
        eventsA.append(ACCOUNT, ExpectedVersion.noStream(), List.of(new Deposited("x", 2)));
        eventsB.append(ACCOUNT, ExpectedVersion.exactly(1), List.of(new Deposited("x", 3)));
        if (!corrupt(stores, stores.events().load(a.stream(ACCOUNT)).get(0))) {
            return;
        }
        assertEquals(4, sum(readAll(eventsB, 2)));
        List<StoredEvent<Object>> first = eventsB.readAll(Position.START, 1);
        assertEquals(4, sum(first) + sum(eventsB.readAll(first.get(0).position(), 1)));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription subB = Subscription.builder("all", eventsB, stores.checkpoints())
                .handler(event -> seen.add(event.eventType())).build().start()) {
            assertTrue(subB.awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(subB.failure().isEmpty());
        }
        assertEquals(2, seen.size());
        assertThrows(RuntimeException.class, () -> eventsA.readAll(Position.START, 100),
                "the owner still learns about its broken event");
    }

    private static final Tag ACCOUNT_TAG = Tag.of("account", "x");
    private static final Query BOUNDARY = Query.of(QueryItem.types(TestEventTypes.DEPOSITED).withTags(ACCOUNT_TAG));

    private static TaggedEvent tagged(long amount) {
        return TaggedEvent.of(new Deposited("x", amount), ACCOUNT_TAG);
    }

    @Test
    void dcbBoundariesAreSeparateAndTheTenantTagCannotBeForged() {
        if (!(stores.events() instanceof DcbEventStore shared)) {
            return;
        }
        DcbEventStore dcbA = a.dcb(shared);
        DcbEventStore dcbB = b.dcb(shared);
        dcbA.append(List.of(tagged(1_000_000)), AppendCondition.failIfEventsMatch(BOUNDARY));
        assertTrue(dcbB.read(BOUNDARY).isEmpty(), "B's boundary holds none of A's events");
        assertTrue(dcbB.read(Query.all()).isEmpty());
        // A's event does not fail B's condition on the same boundary, and B's does not fail A's.
        dcbB.append(List.of(tagged(4)), AppendCondition.failIfEventsMatch(BOUNDARY));
        List<StoredEvent<Object>> seenByA = dcbA.read(BOUNDARY);
        assertEquals(1_000_000, sum(seenByA));
        dcbA.append(List.of(tagged(1)), AppendCondition.failIfEventsMatch(BOUNDARY,
                seenByA.get(seenByA.size() - 1).position()));
        assertEquals(1_000_001, sum(dcbA.read(Query.all())));
        assertEquals(4, sum(dcbB.read(Query.of(QueryItem.any()))));
        // B cannot put A's tenant tag on an event, nor ask for it.
        for (String forged : List.of("~eskit-tenant=acme", "~eskit-tenant=acme-", "~eskit-tenant=")) {
            assertThrows(InvalidInputException.class, () -> dcbB.append(List.of(TaggedEvent.of(new Deposited("x", 9),
                    Tag.of(forged)))), forged);
            assertThrows(InvalidInputException.class, () -> dcbB.read(Query.of(QueryItem.tags(Tag.of(forged)))));
        }
        assertEquals(1_000_001, sum(dcbA.read(Query.all())), "nothing of B reached A");
        assertEquals(4, sum(dcbB.read(Query.all())), "the refused appends wrote nothing");
        assertEquals(3, shared.read(BOUNDARY).size(), "the shared store sees every tenant");
        assertThrows(InvalidTenantException.class, () -> b.dcb(a.dcb(shared)));
    }

    /**
     * A tenant's DCB appends go into its own streams ({@code <tenant>::dcb/<id>} in the shared store): its stream reads
     * and stream admin see them as {@code dcb/<id>}, the other tenant's reads, loads and admin never do, and metadata
     * naming another tenant (or no valid tenant) is refused before anything is written.
     */
    @Test
    void dcbEventsLiveInTheTenantsOwnStreams() {
        if (!(stores.events() instanceof DcbEventStore shared)) {
            return;
        }
        DcbEventStore dcbA = a.dcb(shared);
        DcbEventStore dcbB = b.dcb(shared);
        StreamRef streamA = dcbA.append(List.of(tagged(7))).events().get(0).stream();
        StoredEvent<Object> storedB = dcbB.append(List.of(tagged(5)), null,
                Tenancy.withTenant(dev.eskit.command.CommandContext.create(), B).metadata()).events().get(0);
        assertEquals(DcbEventStore.DCB_STREAM_TYPE, streamA.type(), "the view shows its own stream type");
        assertEquals(DcbEventStore.DCB_STREAM_TYPE, dcbA.read(BOUNDARY).get(0).streamType());
        StoredEvent<Object> inShared = shared.read(BOUNDARY).get(0);
        assertEquals("acme::dcb", inShared.streamType(), "kept in the tenant's own stream in the shared store");
        assertEquals("acme", inShared.metadata().extras().get(Tenancy.METADATA_KEY));
        assertEquals(7, sum(readAll(eventsA, 1)), "the tenant's stream reads include its DCB events");
        assertEquals(5, sum(readAll(eventsB, 1)), "and never another tenant's");
        assertEquals(7, sum(eventsA.readStreamType(DcbEventStore.DCB_STREAM_TYPE, Position.START, 100)));
        assertEquals(1, eventsA.load(streamA).size());
        assertTrue(eventsB.load(streamA).isEmpty(), "B cannot load A's DCB stream by its id");
        for (StreamRef forged : List.of(StreamRef.of("acme::dcb", streamA.id()), StreamRef.of("::dcb", streamA.id()),
                StreamRef.of("dcb", storedB.stream().id() + "' OR '1'='1"))) {
            assertTrue(eventsB.load(forged).isEmpty(), forged.toString());
        }
        // Metadata that names another tenant, a look-alike or an invalid tenant is refused; nothing is written.
        for (String hostile : List.of("acme", "acme--", "\u0430cme-", "acme-::x", "", "acme-\uD800")) {
            Metadata metadata = Metadata.empty().with(Tenancy.METADATA_KEY, hostile);
            assertThrows(InvalidTenantException.class, () -> dcbB.append(List.of(tagged(1)), null, metadata), hostile);
        }
        assertEquals(5, sum(dcbB.read(Query.all())), "the refused appends wrote nothing");
        assertEquals(7, sum(dcbA.read(Query.all())));
        if (stores.events() instanceof StreamAdmin admin) {
            StreamAdmin adminB = b.admin(admin);
            adminB.tombstone(streamA);
            assertEquals(0, adminB.delete(streamA), "B's delete does not reach A's DCB stream");
            assertEquals(StreamStatus.ACTIVE, a.admin(admin).status(streamA));
            assertEquals(7, sum(dcbA.read(Query.all())));
        }
    }

    @Test
    void leaderElectionNamesAreSeparate() {
        LeaderElection node1 = leaderElectionNode(stores);
        LeaderElection node2 = leaderElectionNode(stores);
        nodes.add(node1);
        nodes.add(node2);
        Leadership leaderA = a.leaders(node1).tryAcquire("balances").orElseThrow();
        assertEquals("balances", leaderA.name());
        assertTrue(a.leaders(node2).tryAcquire("balances").isEmpty(), "A's role runs once across nodes");
        Leadership leaderB = b.leaders(node2).tryAcquire("balances").orElseThrow(
                () -> new AssertionError("tenant A's role of the same name blocked tenant B's"));
        assertTrue(leaderB.isHeld());
        for (String forged : List.of("acme::balances", "::balances", ":balances")) {
            b.leaders(node2).tryAcquire(forged).ifPresent(Leadership::close);
        }
        assertTrue(leaderA.isHeld(), "B's forged names never reach A's role");
        assertTrue(a.leaders(node2).tryAcquire("balances").isEmpty());
        assertThrows(InvalidInputException.class, () -> b.leaders(node2).tryAcquire(""));
        assertThrows(InvalidTenantException.class, () -> b.leaders(a.leaders(node1)));
        leaderA.close();
        Leadership next = a.leaders(node2).tryAcquire("balances").orElseThrow(
                () -> new AssertionError("A's role was not free after its leader gave it up"));
        next.close();
        leaderB.close();
    }

    /** A command of the queue tests. */
    public record Deposit(String account, long cents) {
    }

    private static final CommandTypes COMMANDS = CommandTypes.of(CommandType.of("tenancy.Deposit", Deposit.class));

    /** A bus on {@code events}: negative amounts are refused as invalid input, so their queued commands go dead. */
    private static CommandBus bus(EventStore events) {
        return bus(events, null);
    }

    /** {@link #bus(EventStore)}, logging its commands with {@code recorder} when not null. */
    private static CommandBus bus(EventStore events, dev.eskit.command.log.CommandRecorder recorder) {
        Decider<Long, Deposit, Deposited> decider = Decider.of(() -> 0L, (state, command) -> {
            if (command.cents() < 0) {
                throw new InvalidInputException("negative amount " + command.cents());
            }
            return List.of(new Deposited(command.account(), command.cents()));
        }, (state, event) -> state + event.amountCents());
        CommandBus.Builder builder = CommandBus.builder(events).register(CommandRoute.of(Deposit.class, "account",
                Deposit::account, decider));
        return (recorder == null ? builder : builder.commandLog(recorder)).build();
    }

    /**
     * Both tenants' buses log with one recorder of the shared command log (nothing scoped by hand) and send commands
     * with the same ids: every entry is kept under its tenant ({@code <tenant>::<id>}, tenant in the metadata), rejected
     * commands too; neither tenant's view finds or lists the other's entries, forged ids reach nothing, entries
     * naming another tenant are refused, and retention is refused on a view.
     */
    @Test
    void commandLogsAreSeparate() {
        dev.eskit.command.log.CommandLog shared = commandLog(stores);
        dev.eskit.command.log.CommandRecorder recorder = dev.eskit.command.log.CommandRecorder.of(shared, COMMANDS);
        CommandBus busA = bus(eventsA, recorder);
        CommandBus busB = bus(eventsB, recorder);
        busA.send(new Deposit(ACCOUNT.id(), 1_000_000), context("c-1"));
        busB.send(new Deposit(ACCOUNT.id(), 4), context("c-1"));
        assertThrows(InvalidInputException.class, () -> busA.send(new Deposit(ACCOUNT.id(), -1), context("c-no")));
        List<dev.eskit.command.log.CommandLogEntry> all = shared.list(dev.eskit.command.log.CommandLogQuery
                .latest(100));
        assertEquals(List.of("acme-::c-1", "acme::c-1", "acme::c-no"), all.stream()
                .map(dev.eskit.command.log.CommandLogEntry::commandId).sorted().toList(), "nothing unscoped");
        for (var entry : all) {
            assertTrue(entry.commandId().startsWith(entry.metadata().extras().get(Tenancy.METADATA_KEY) + "::"),
                    entry.commandId());
        }
        dev.eskit.command.log.CommandLog viewA = a.commandLog(shared);
        dev.eskit.command.log.CommandLog viewB = b.commandLog(shared);
        assertEquals(List.of("c-1"), viewB.list(dev.eskit.command.log.CommandLogQuery.latest(100)).stream()
                .map(dev.eskit.command.log.CommandLogEntry::commandId).toList());
        assertEquals(2, viewA.list(dev.eskit.command.log.CommandLogQuery.latest(100)).size());
        assertEquals(dev.eskit.command.log.CommandOutcome.REJECTED, viewA.find("c-no").orElseThrow().outcome());
        for (String forged : List.of("c-no", "acme::c-no", "::c-no", ":c-no", "c-no' OR '1'='1", "C-NO")) {
            assertTrue(viewB.find(forged).isEmpty(), forged);
        }
        assertEquals(1, viewB.find("c-1").orElseThrow().eventCount());
        assertEquals(4, sum(readAll(eventsB, 1)));
        for (String hostile : List.of("acme", "acme--", "\u0430cme-", "acme-::x", "", "ACME-")) {
            CommandContext forged = context("c-other").withMetadata(Metadata.empty().with(Tenancy.METADATA_KEY,
                    hostile));
            RuntimeException e = assertThrows(RuntimeException.class, () -> busB.send(new Deposit("y", 1), forged));
            assertTrue(e instanceof InvalidTenantException, hostile + ": " + e);
        }
        assertEquals(3, shared.list(dev.eskit.command.log.CommandLogQuery.latest(100)).size(), "nothing stored");
        assertTrue(eventsB.load(StreamRef.of("account", "y")).isEmpty(), "nothing appended");
        assertThrows(InvalidInputException.class, () -> viewB.deleteStartedBefore(java.time.Instant.now()));
        assertThrows(InvalidTenantException.class, () -> bus(eventsA,
                dev.eskit.command.log.CommandRecorder.of(viewB, COMMANDS)), "B's log on A's bus");
    }

    /**
     * Both tenants run live read model "balances" (an announcing projector on one shared change notifier, its
     * subscriptions on the tenants' stores): a tenant's subscribers get its own changes under its own names, never the
     * other tenant's changes, keys or rebuild resyncs, and cannot watch the other's scoped name.
     */
    @Test
    void liveViewsAreSeparate() throws Exception {
        dev.eskit.change.ChangeNotifier notifier = dev.eskit.change.ChangeNotifier.create();
        dev.eskit.projection.Projector live = notifier.announcing(dev.eskit.projection.Projector.of("balances",
                java.util.Set.of(TestEventTypes.DEPOSITED), event -> { }), dev.eskit.change.ChangeKeys.streamId());
        List<dev.eskit.change.Topic> topics = List.of(dev.eskit.change.Topic.of("balances"));
        try (var ofA = a.changes(notifier).subscribe(topics);
             var ofB = b.changes(notifier).subscribe(topics);
             var forged = b.changes(notifier).subscribe(List.of(dev.eskit.change.Topic.of("acme::balances"),
                     dev.eskit.change.Topic.of("balances", "a-secret")));
             var unscoped = notifier.subscribe(topics);
             Subscription runA = live.subscription(eventsA, stores.checkpoints()).build().start();
             Subscription runB = live.subscription(eventsB, stores.checkpoints()).build().start()) {
            eventsA.append(StreamRef.of("account", "a-secret"), ExpectedVersion.noStream(),
                    List.of(new Deposited("a-secret", 1)));
            eventsB.append(StreamRef.of("account", "b-1"), ExpectedVersion.noStream(),
                    List.of(new Deposited("b-1", 1)));
            Duration wait = Duration.ofSeconds(30);
            var fromA = (dev.eskit.change.Change) ofA.poll(wait).orElseThrow();
            assertEquals("balances", fromA.readModel());
            assertEquals(java.util.Set.of("a-secret"), fromA.keys());
            var fromB = (dev.eskit.change.Change) ofB.poll(wait).orElseThrow();
            assertEquals(java.util.Set.of("b-1"), fromB.keys());
            assertTrue(runA.awaitCaughtUp(wait) && runB.awaitCaughtUp(wait));
            runA.rebuild();
            assertTrue(ofA.poll(wait).orElseThrow() instanceof dev.eskit.change.Resync);
            assertEquals(java.util.Set.of("a-secret"), ((dev.eskit.change.Change) ofA.poll(wait).orElseThrow())
                    .keys());
            assertEquals(Optional.empty(), ofB.poll(), "A's changes and rebuild never reach B");
            assertEquals(Optional.empty(), forged.poll());
            assertEquals(Optional.empty(), unscoped.poll(), "nothing under the shared name");
        }
    }

    private static CommandContext context(String id) {
        return new CommandContext(id, Metadata.empty(), id);
    }

    /**
     * Two tenants enqueue commands with the same ids and the same partition (stream) into one shared queue store, each
     * through a queue on its own bus (which takes the tenant's view of the shared store): neither finds, lists, claims,
     * finishes, retries or requeues the other's commands, a command stuck in one tenant's partition never holds back
     * the other tenant's, and hostile ids reach nothing.
     */
    @Test
    void commandQueuesAreSeparate() {
        CommandQueueStore shared = commandQueue(stores);
        CommandQueue queueA = CommandQueue.builder(shared, bus(eventsA), COMMANDS).workers(0).partitionByStream()
                .build();
        CommandQueue queueB = CommandQueue.builder(shared, bus(eventsB), COMMANDS).workers(0).partitionByStream()
                .build();
        CommandQueueStore viewA = queueA.store();
        CommandQueueStore viewB = queueB.store();
        assertEquals(a.commandQueue(shared), viewA, "a tenant's bus takes the tenant's view of the shared store");
        queueA.enqueue(new Deposit(ACCOUNT.id(), 1_000_000), context("c-1"));
        queueB.enqueue(new Deposit(ACCOUNT.id(), 4), context("c-1"));
        assertTrue(shared.find("acme::c-1").isPresent());
        assertTrue(shared.find("acme-::c-1").isPresent(), "the same id in another tenant is another command");
        assertEquals("acme", shared.find("acme::c-1").orElseThrow().metadata().extras().get(Tenancy.METADATA_KEY));
        for (String forged : List.of("acme::c-1", "::c-1", ":c-1", "c-1' OR '1'='1", "C-1", "c\u2011" + "1")) {
            assertTrue(viewB.find(forged).isEmpty(), forged);
            assertFalse(viewB.requeue(forged), forged);
        }
        // A claims its command and holds it (a worker that stalls): the partition account/<id> of A is busy.
        List<QueueClaim> claimsA = viewA.claim("worker-a", 10, Duration.ofMinutes(5));
        assertEquals(1, claimsA.size());
        QueueClaim claimA = claimsA.get(0);
        assertEquals("c-1", claimA.command().id());
        assertEquals(ACCOUNT.toString(), claimA.command().partitionKey());
        // B's command of the same id and partition runs: A's busy partition does not hold it back.
        assertEquals(1, queueB.runOnce(), "B's worker claims B's command only");
        assertEquals(QueueStatus.SUCCEEDED, viewB.find("c-1").orElseThrow().status());
        assertEquals(4, sum(readAll(eventsB, 1)));
        assertTrue(eventsA.readAll(Position.START, 100).isEmpty(), "B's worker ran nothing of A");
        // B cannot finish, retry or see A's claim, even with A's token.
        QueueResult forgedResult = new QueueResult("c-1", QueueStatus.REJECTED, 0, 0, null, null, "forged by B");
        assertFalse(viewB.finish(claimA, forgedResult));
        assertFalse(viewB.finishAll(List.of(new QueueFinish(claimA, forgedResult)))[0]);
        assertFalse(viewB.retry(claimA, "forged by B", java.time.Instant.now()));
        assertTrue(viewB.list(QueueStatus.CLAIMED, 10).isEmpty());
        assertEquals(QueueStatus.CLAIMED, viewA.find("c-1").orElseThrow().status());
        assertEquals(List.of("c-1"), viewA.list(QueueStatus.CLAIMED, 10).stream().map(QueuedCommand::id).toList());
        // A gives its claim back and its queue runs it.
        assertTrue(viewA.retry(claimA, "given back", java.time.Instant.now()));
        assertEquals(1, queueA.runOnce());
        assertEquals(1_000_000, sum(readAll(eventsA, 1)));
        assertEquals(4, sum(readAll(eventsB, 1)));
        assertTrue(queueA.await("c-1").join().succeeded());
        assertEquals(1, queueA.await("c-1").join().eventCount());
        // A dead command of A: B neither lists nor requeues it.
        queueA.enqueue(new Deposit(ACCOUNT.id(), -1), context("c-dead"));
        assertEquals(1, queueA.runOnce());
        assertEquals(List.of("c-dead"), viewA.list(QueueStatus.DEAD, 10).stream().map(QueuedCommand::id).toList());
        assertTrue(viewB.list(QueueStatus.DEAD, 10).isEmpty());
        assertFalse(viewB.requeue("c-dead"));
        assertFalse(viewB.requeue("acme::c-dead"));
        assertEquals(QueueStatus.DEAD, viewA.find("c-dead").orElseThrow().status());
        assertTrue(viewB.findOutcomes(List.of("c-dead", "acme::c-dead")).isEmpty());
        assertEquals(QueueStatus.DEAD, viewA.findOutcomes(List.of("c-dead")).get("c-dead").status());
        // Metadata of another tenant, hostile command ids and retention on a view are refused; nothing is stored.
        for (String hostile : List.of("acme", "acme--", "\u0430cme-", "acme-::x", "", "acme-\uD800", "ACME-")) {
            CommandContext forged = context("c-other").withMetadata(Metadata.empty().with(Tenancy.METADATA_KEY,
                    hostile));
            assertThrows(InvalidTenantException.class, () -> queueB.enqueue(new Deposit("y", 1), forged), hostile);
        }
        for (String hostile : List.of("", "c\uD800", "c\uDBFF")) {
            assertThrows(InvalidInputException.class, () -> queueB.enqueue(new Deposit("y", 1), context(hostile)),
                    hostile);
        }
        assertThrows(InvalidInputException.class, () -> viewB.deleteFinishedBefore(java.time.Instant.now()));
        assertEquals(1, viewB.list(QueueStatus.SUCCEEDED, 10).size(), "B has its one command, nothing more");
        assertEquals(0, viewB.list(QueueStatus.PENDING, 10).size());
        assertThrows(InvalidTenantException.class, () -> CommandQueue.builder(viewA, bus(eventsB), COMMANDS)
                .build(), "a tenant's queue never runs on another tenant's view");
        assertThrows(InvalidTenantException.class, () -> CommandQueue.builder(viewA, bus(stores.events()), COMMANDS)
                .build(), "nor its commands on a bus outside the tenant");
        assertEquals(2, shared.list(QueueStatus.SUCCEEDED, 10).size(), "the shared store sees every tenant's");
    }

    /**
     * Two tenants' partitioned subscriptions of the same name, on nodes of the same name, share one lease store: each
     * runs all its own partitions over its own events only, and neither can release, check or leave the other's
     * leases.
     */
    @Test
    void partitionLeasesOfSameNamedSubscriptionsAreSeparate() throws InterruptedException {
        PartitionLeaseStore leases = partitionLeases(stores);
        PartitionLeaseStore leasesA = a.partitionLeases(leases);
        PartitionLeaseStore leasesB = b.partitionLeases(leases);
        PartitionLease leaseA = leasesA.tryClaim("orders", 0, 4, "node-1", Duration.ofMinutes(5)).orElseThrow();
        assertEquals("acme::orders", leaseA.subscription(), "leases name the subscription as the store keeps it");
        PartitionLease leaseB = leasesB.tryClaim("orders", 0, 2, "node-1", Duration.ofMinutes(5)).orElseThrow(
                () -> new AssertionError("A's lease of the same name, partition and node blocked B's"));
        for (String forged : List.of("acme::orders", "::orders", ":orders")) {
            leasesB.tryClaim(forged, 0, 4, "node-1", Duration.ofMinutes(5)).ifPresent(leasesB::release);
            leasesB.leave(forged, "node-1");
        }
        leasesB.leave("orders", "node-2");
        assertThrows(InvalidTenantException.class, () -> leasesB.release(leaseA));
        assertThrows(InvalidTenantException.class, () -> leasesB.isHeld(leaseA));
        assertTrue(leasesA.isHeld(leaseA), "nothing B did reached A's lease");
        assertTrue(leasesB.isHeld(leaseB));
        assertEquals(4, leasesA.leases("orders").get(0).partitions());
        assertEquals(2, leasesB.leases("orders").get(0).partitions());
        leasesB.leave("orders", "node-1");
        assertTrue(leasesA.isHeld(leaseA), "B's node leaving released none of A's leases");
        leasesA.release(leaseA);

        java.util.Set<Integer> partitionsUsed = new java.util.HashSet<>();
        for (int i = 0; i < 8; i++) {
            partitionsUsed.add(PartitionedSubscription.partitionOf("s-" + i, 2));
            eventsA.append(StreamRef.of("account", "s-" + i), ExpectedVersion.noStream(),
                    List.of(new Deposited("x", 1_000_000)));
            eventsB.append(StreamRef.of("account", "s-" + i), ExpectedVersion.noStream(),
                    List.of(new Deposited("x", 1)));
        }
        assertEquals(java.util.Set.of(0, 1), partitionsUsed, "the events are in both partitions");
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(16);
        java.util.concurrent.atomic.AtomicLong sumA = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong sumB = new java.util.concurrent.atomic.AtomicLong();
        // Each tenant has one node: with leases shared by name, each would count the other's node and take only half
        // of the partitions, leaving its other half unprocessed.
        try (PartitionedSubscription subA = partitioned(eventsA, "node-a", leases, sumA, seen).start();
             PartitionedSubscription subB = partitioned(eventsB, "node-b", leases, sumB, seen).start()) {
            assertTrue(seen.await(30, java.util.concurrent.TimeUnit.SECONDS), "both tenants ran all their partitions");
            assertEquals(1, subA.liveNodes(), "A's subscription sees only A's node");
            assertEquals(1, subB.liveNodes());
        }
        assertEquals(8_000_000, sumA.get());
        assertEquals(8, sumB.get());
        assertThrows(InvalidTenantException.class, () -> PartitionedSubscription.builder("ledger", eventsB,
                stores.checkpoints(), leasesA).handler(event -> { }).build());
    }

    private PartitionedSubscription partitioned(EventStore events, String node, PartitionLeaseStore leases,
                                                java.util.concurrent.atomic.AtomicLong sum,
                                                java.util.concurrent.CountDownLatch seen) {
        return PartitionedSubscription.builder("ledger", events, stores.checkpoints(), leases)
                .partitions(2)
                .node(node)
                .leaseDuration(Duration.ofSeconds(10))
                .renewInterval(Duration.ofMillis(200))
                .handler(event -> {
                    sum.addAndGet(((Deposited) event.data()).amountCents());
                    seen.countDown();
                })
                .build();
    }
}
