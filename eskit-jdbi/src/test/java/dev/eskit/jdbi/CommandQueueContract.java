package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.Position;
import dev.eskit.Retry;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.QueueClaim;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.jdbi.CommandDomain.Deposit;
import dev.eskit.jdbi.CommandDomain.Withdraw;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The durable command queue on a database: outcomes, poison commands, partitions, crashes, many workers. */
abstract class CommandQueueContract {

    abstract Databases db();

    /** How many commands the two-JVM drain test runs ({@code -Deskit.queue.drainCommands=N} overrides it). */
    abstract int drainCommands();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Databases.Location location;
    private JdbiEventStore store;
    private JdbiCommandQueueStore queueStore;
    private HikariDataSource pool;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private CommandQueue.Builder queue() {
        return queue(CommandDomain.TYPES);
    }

    private CommandQueue.Builder queue(dev.eskit.command.CommandTypes types) {
        location = db().newLocation();
        store = db().open(location);
        HikariConfig config = new HikariConfig();
        config.setDataSource(location.dataSource());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        HikariDataSource pool = new HikariDataSource(config);
        this.pool = pool;
        closing.add(pool);
        queueStore = JdbiCommandQueueStore.create(Jdbi.create(pool), store);
        CommandBus bus = CommandBus.builder(store).register(CommandDomain.routes())
                .queueOutcomes(queueStore).retry(Retry.attempts(20)).build();
        return CommandQueue.builder(queueStore, bus, types).pollInterval(Duration.ofMillis(50))
                .lease(QueueWorkerMain.LEASE)
                .retry(Retry.exponential(100, Duration.ofMillis(5), Duration.ofMillis(200)));
    }

    private long version(String account) {
        return store.streamVersion(StreamRef.of("account", account));
    }

    @Test
    void commandsSucceedOrAreRejectedAndTheirOutcomesAreStored() throws Exception {
        CommandQueue queue = queue().build();
        String deposit = queue.enqueue(new Deposit("a", 5), CommandContext.of(dev.eskit.Metadata.correlatedBy("r")));
        String withdraw = queue.enqueue(new Withdraw("a", 9));
        assertEquals(2, queue.runOnce());

        QueueResult ok = queue.await(deposit).get(5, TimeUnit.SECONDS);
        assertTrue(ok.succeeded());
        StoredEvent<Object> event = store.load(StreamRef.of("account", "a")).get(0);
        assertEquals(event.position(), ok.firstPosition());
        assertEquals(1, ok.streamVersion());
        assertEquals("r", event.metadata().correlationId());
        assertEquals(deposit, event.metadata().causationId());
        QueueResult refused = queue.await(withdraw).get(5, TimeUnit.SECONDS);
        assertEquals(QueueStatus.REJECTED, refused.status());
        assertEquals("java.lang.IllegalStateException: balance 5 is below 9", refused.error());
        assertEquals(null, queue.find(deposit).orElseThrow().payload());
    }

    @Test
    void theOutcomeCommitsWithTheAppendSoAFailureAfterTheAppendCannotUndoIt() throws Exception {
        queue();
        // A bus whose middleware fails after the append committed: the outcome rode in the append's transaction.
        CommandBus failingAfter = CommandBus.builder(store).register(CommandDomain.routes())
                .queueOutcomes(queueStore).middleware((envelope, next) -> {
                    next.proceed(envelope);
                    throw new IllegalStateException("failed after the append");
                }).build();
        CommandQueue queue = CommandQueue.builder(queueStore, failingAfter, CommandDomain.TYPES).build();
        String id = queue.enqueue(new Deposit("t", 3));
        assertEquals(1, queue.runOnce());
        QueueResult result = queue.await(id).get(5, TimeUnit.SECONDS);
        assertTrue(result.succeeded(), "recorded with the events: " + result);
        assertEquals(1, result.streamVersion());
        assertEquals(QueueStatus.SUCCEEDED, queue.find(id).orElseThrow().status());
        assertEquals(1, version("t"));
    }

    @Test
    void aStartedQueueAwaitsCommandsFinishedElsewhereWithBatchedLookups() throws Exception {
        CommandQueue runner = queue().build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(runner.enqueue(new Deposit("w" + (i % 3), 1)));
        }
        ids.add(runner.enqueue(new Withdraw("w0", 1_000)));
        java.util.concurrent.atomic.AtomicInteger singleLookups = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger batchLookups = new java.util.concurrent.atomic.AtomicInteger();
        dev.eskit.command.queue.CommandQueueStore counting = new CountingQueueStore(queueStore, singleLookups,
                batchLookups);
        try (CommandQueue waiter = CommandQueue.builder(counting, CommandBus.builder(store)
                .register(CommandDomain.routes()).build(), CommandDomain.TYPES).workers(0)
                .pollInterval(Duration.ofMillis(20)).build().start()) {
            List<CompletableFuture<QueueResult>> results = ids.stream().map(waiter::await).toList();
            assertEquals(31, runner.runOnce());
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertEquals(30, results.stream().filter(r -> r.join().succeeded()).count());
            assertEquals(QueueStatus.REJECTED, results.get(30).join().status());
        }
        assertEquals(0, singleLookups.get(), "a started queue never looks up one id at a time");
        assertTrue(batchLookups.get() >= 1);
    }

    /** Counts the lookups of a queue that only awaits. */
    private static final class CountingQueueStore implements dev.eskit.command.queue.CommandQueueStore {
        private final dev.eskit.command.queue.CommandQueueStore delegate;
        private final java.util.concurrent.atomic.AtomicInteger single;
        private final java.util.concurrent.atomic.AtomicInteger batch;

        CountingQueueStore(dev.eskit.command.queue.CommandQueueStore delegate,
                           java.util.concurrent.atomic.AtomicInteger single,
                           java.util.concurrent.atomic.AtomicInteger batch) {
            this.delegate = delegate;
            this.single = single;
            this.batch = batch;
        }

        @Override public boolean enqueue(QueuedCommand command) { return delegate.enqueue(command); }
        @Override public List<QueueClaim> claim(String worker, int max, Duration lease) {
            return delegate.claim(worker, max, lease);
        }
        @Override public boolean finish(QueueClaim claim, QueueResult result) { return delegate.finish(claim, result); }
        @Override public boolean retry(QueueClaim claim, String error, Instant retryAt) {
            return delegate.retry(claim, error, retryAt);
        }
        @Override public java.util.Optional<QueuedCommand> find(String id) {
            single.incrementAndGet();
            return delegate.find(id);
        }
        @Override public java.util.Map<String, QueueResult> findOutcomes(java.util.Collection<String> ids) {
            batch.incrementAndGet();
            return delegate.findOutcomes(ids);
        }
        @Override public List<QueuedCommand> list(QueueStatus status, int limit) { return delegate.list(status, limit); }
        @Override public boolean requeue(String id) { return delegate.requeue(id); }
        @Override public int deleteFinishedBefore(Instant cutoff) { return delegate.deleteFinishedBefore(cutoff); }
    }

    @Test
    void aCommandQueuedWithAnOlderVersionIsUpcastWhenAWorkerReadsIt() throws Exception {
        dev.eskit.command.CommandTypes v2 = dev.eskit.command.CommandTypes.of(
                new dev.eskit.command.CommandType<>("test.Deposit", Deposit.class, 2, null, List.of(json -> {
                    json.set("cents", json.remove("amount"));
                    return json;
                })), dev.eskit.command.CommandType.of("test.Withdraw", Withdraw.class));
        CommandQueue queue = queue(v2).build();
        queueStore.enqueue(QueuedCommand.pending("old", "test.Deposit", 1, "{\"account\":\"a\",\"amount\":7}", null,
                null, Instant.now()));
        String current = queue.enqueue(new Deposit("a", 1));
        assertEquals(1, queue.find("old").orElseThrow().commandVersion());
        assertEquals(2, queue.find(current).orElseThrow().commandVersion());
        assertEquals(2, queue.runOnce());

        assertTrue(queue.await("old").get(5, TimeUnit.SECONDS).succeeded());
        assertTrue(queue.await(current).get(5, TimeUnit.SECONDS).succeeded());
        assertEquals(List.of(7L, 1L), store.load(StreamRef.of("account", "a")).stream()
                .map(e -> ((TestEvents.Deposited) e.data()).cents()).toList());
    }

    @Test
    void aQueueOfNoTenantNeverClaimsFindsOrListsATenantsCommands() throws Exception {
        queue();
        dev.eskit.tenancy.TenantId acme = dev.eskit.tenancy.TenantId.of("acme");
        dev.eskit.tenancy.TenantCommandBus tenants = dev.eskit.tenancy.TenantCommandBus.create(store,
                s -> CommandBus.builder(s).register(CommandDomain.routes()).build());
        CommandQueue acmeQueue = CommandQueue.builder(queueStore, tenants.forTenant(acme), CommandDomain.TYPES)
                .workers(0).build();
        String acmeId = acmeQueue.enqueue(new Deposit("t-1", 4), CommandContext.of(dev.eskit.Metadata.empty()));
        CommandBus plainBus = CommandBus.builder(store).register(CommandDomain.routes()).build();
        CommandQueue plain = CommandQueue.builder(queueStore, plainBus, CommandDomain.TYPES).workers(0).build();
        String plainId = plain.enqueue(new Deposit("t-1", 2));

        assertEquals(1, plain.runOnce(), "only its own command");
        assertEquals(QueueStatus.SUCCEEDED, plain.find(plainId).orElseThrow().status());
        assertEquals(QueueStatus.PENDING, acmeQueue.find(acmeId).orElseThrow().status());
        assertEquals(0, queueStore.find("acme::" + acmeId).orElseThrow().attempts(), "never claimed");
        assertTrue(plain.find("acme::" + acmeId).isEmpty(), "a tenant's command is not found outside the tenant");
        assertEquals(List.of(), plain.store().list(QueueStatus.PENDING, 10));
        assertFalse(plain.store().requeue("acme::" + acmeId));
        assertEquals(List.of(2L), store.load(StreamRef.of("account", "t-1")).stream()
                .map(e -> ((TestEvents.Deposited) e.data()).cents()).toList(), "no tenant event outside the tenant");

        assertEquals(1, acmeQueue.runOnce());
        assertTrue(acmeQueue.await(acmeId).get(5, TimeUnit.SECONDS).succeeded());
        assertEquals(1, store.streamVersion(StreamRef.of("acme::account", "t-1")));
        assertEquals(1, version("t-1"));
    }

    @Test
    void queuesOfTwoTenantsAndOfNoTenantDrainingOneTableAtOnceEachRunOnlyTheirOwn() throws Exception {
        queue();
        dev.eskit.tenancy.TenantCommandBus tenants = dev.eskit.tenancy.TenantCommandBus.create(store,
                s -> CommandBus.builder(s).register(CommandDomain.routes()).build());
        java.util.Map<String, CommandQueue> queues = new java.util.LinkedHashMap<>();
        queues.put("", CommandQueue.builder(queueStore, CommandBus.builder(store).register(CommandDomain.routes())
                .build(), CommandDomain.TYPES).workers(3).batchSize(4).pollInterval(Duration.ofMillis(10)).build());
        for (String tenant : List.of("acme", "acme-")) {
            queues.put(tenant, CommandQueue.builder(queueStore, tenants.forTenant(dev.eskit.tenancy.TenantId.of(
                    tenant)), CommandDomain.TYPES).workers(3).batchSize(4).pollInterval(Duration.ofMillis(10))
                    .build());
        }
        java.util.Map<String, List<String>> ids = new java.util.HashMap<>();
        for (var entry : queues.entrySet()) {
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                mine.add(entry.getValue().enqueue(new Deposit("s-" + (i % 5), 1)));
            }
            ids.put(entry.getKey(), mine);
        }
        queues.values().forEach(q -> closing.add(q.start()));
        for (var entry : queues.entrySet()) {
            for (String id : ids.get(entry.getKey())) {
                assertTrue(entry.getValue().await(id).get(60, TimeUnit.SECONDS).succeeded(), id);
            }
        }
        for (String tenant : queues.keySet()) {
            String type = tenant.isEmpty() ? "account" : tenant + "::account";
            long events = 0;
            for (int i = 0; i < 5; i++) {
                for (StoredEvent<Object> e : store.load(StreamRef.of(type, "s-" + i))) {
                    events++;
                    assertEquals(tenant.isEmpty() ? null : tenant, e.metadata().extras().get("eskit.tenant"),
                            type + " holds only its tenant's commands");
                }
            }
            assertEquals(30, events, type);
        }
    }

    @Test
    void aQueueOfNoTenantRefusesATenantsIdsAndMetadataAndStoresNothing() {
        CommandQueue plain = queue().build();
        var tenantMetadata = dev.eskit.tenancy.Tenancy.withTenant(new CommandContext("m-1", null, null),
                dev.eskit.tenancy.TenantId.of("acme"));
        var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.eskit.tenancy.InvalidTenantException.class,
                () -> plain.enqueue(new Deposit("r", 1), tenantMetadata));
        assertTrue(refused.getMessage().contains("TenantCommandBus.forTenant"), refused.getMessage());
        var forged = org.junit.jupiter.api.Assertions.assertThrows(dev.eskit.InvalidInputException.class,
                () -> plain.enqueue(new Deposit("r", 1), new CommandContext("acme::c-1", null, null)));
        assertTrue(forged.getMessage().contains("tenant's command id"), forged.getMessage());
        assertTrue(queueStore.find("m-1").isEmpty());
        assertTrue(queueStore.find("acme::c-1").isEmpty());
        assertEquals(0, plain.runOnce());
    }

    @Test
    void commandsWhoseLeasesEndBeforeTheirBatchGoDeadInsteadOfLoopingAndApplyOnce() throws Exception {
        queue();
        CommandBus slow = CommandBus.builder(store).register(CommandDomain.routes()).middleware((envelope, next) -> {
                    var result = next.proceed(envelope);
                    // The work outlasts the lease: a batch of two takes seven times the lease.
                    LockSupport.parkNanos(Duration.ofMillis(700).toNanos());
                    return result;
                }).build();
        CommandQueue queue = CommandQueue.builder(queueStore, slow, CommandDomain.TYPES).workers(3).batchSize(2)
                .lease(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(20))
                .retry(Retry.exponential(3, Duration.ofMillis(5), Duration.ofMillis(20))).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(queue.enqueue(new Deposit("l-" + i, 1)));
        }
        queue.start();
        closing.add(queue);
        for (int i = 0; i < ids.size(); i++) {
            QueueResult result = queue.await(ids.get(i)).get(60, TimeUnit.SECONDS);
            QueuedCommand stored = queueStore.find(ids.get(i)).orElseThrow();
            assertTrue(stored.status().isFinal(), "final, not looping: " + stored);
            assertTrue(stored.attempts() <= 4, "at most its attempts and the one that gave up: " + stored);
            if (result.status() == QueueStatus.DEAD) {
                assertTrue(result.error().contains("the lease of PT0.2S expired")
                        && result.error().contains("Raise CommandQueue.Builder.lease"), result.error());
            } else {
                assertEquals(QueueStatus.SUCCEEDED, result.status(), result.toString());
            }
            assertTrue(version("l-" + i) <= 1, "applied at most once");
        }
    }

    @Test
    void aRowEditedByHandThatCannotBeReadGoesDeadAndTheOthersAreStillClaimed() throws Exception {
        CommandQueue queue = queue().partitionByStream().build();
        String badMetadata = queue.enqueue(new Deposit("h", 1));
        String badVersion = queue.enqueue(new Deposit("h", 2));
        String good = queue.enqueue(new Deposit("h", 3));
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            String table = store.tableNames().table("command_queue");
            statement.executeUpdate("UPDATE " + table + " SET metadata = 'not json' WHERE id = '" + badMetadata + "'");
            statement.executeUpdate("UPDATE " + table + " SET command_version = 0 WHERE id = '" + badVersion + "'");
        }
        List<QueuedCommand> pending = queueStore.list(QueueStatus.PENDING, 10);
        assertEquals(List.of(badMetadata, badVersion, good), pending.stream().map(QueuedCommand::id).toList(),
                "listed, not thrown");
        assertTrue(pending.get(0).lastError().contains("column metadata"), pending.get(0).lastError());
        assertTrue(queueStore.find(badVersion).orElseThrow().lastError().contains("column command_version holds 0"));

        assertEquals(1, queue.runOnce(), "the readable command runs; the unreadable ones do not block its partition");
        assertTrue(queue.await(good).get(5, TimeUnit.SECONDS).succeeded());
        assertEquals(1, version("h"));
        QueuedCommand deadMetadata = queueStore.find(badMetadata).orElseThrow();
        assertEquals(QueueStatus.DEAD, deadMetadata.status());
        assertTrue(deadMetadata.lastError().contains("column metadata cannot be read")
                && deadMetadata.lastError().contains("Fix the row"), deadMetadata.lastError());
        QueuedCommand deadVersion = queueStore.find(badVersion).orElseThrow();
        assertEquals(QueueStatus.DEAD, deadVersion.status());
        assertTrue(deadVersion.lastError().contains("column command_version"), deadVersion.lastError());
        assertEquals(2, queueStore.list(QueueStatus.DEAD, 10).size());
    }

    @Test
    void unknownTypesAndBadPayloadsAreDeadWithAClearErrorAndCanBeRequeued() {
        CommandQueue queue = queue().build();
        Instant now = Instant.now();
        queueStore.enqueue(QueuedCommand.pending("u", "test.Refund", "{}", null, null, now));
        queueStore.enqueue(QueuedCommand.pending("b", "test.Deposit", "{\"account\":\"a\"", null, null, now));
        queue.runOnce();

        QueuedCommand unknown = queue.find("u").orElseThrow();
        assertEquals(QueueStatus.DEAD, unknown.status());
        assertTrue(unknown.lastError().contains("Unknown command type \"test.Refund\""), unknown.lastError());
        assertEquals("{}", unknown.payload(), "a dead command keeps its payload for the operator");
        QueuedCommand bad = queue.find("b").orElseThrow();
        assertEquals(QueueStatus.DEAD, bad.status());
        assertTrue(bad.lastError().contains("The payload of command \"test.Deposit\" does not read"), bad.lastError());
        assertEquals(List.of("u", "b"), queueStore.list(QueueStatus.DEAD, 10).stream().map(QueuedCommand::id)
                .toList());
        assertTrue(queueStore.requeue("u"));
        assertEquals(QueueStatus.PENDING, queue.find("u").orElseThrow().status());
        assertEquals(0, version("a"));
    }

    @Test
    void aPartitionRunsInEnqueueOrderAndALostLeaseIsVoid() {
        CommandQueue queue = queue().partitionByStream().build();
        String first = queue.enqueue(new Deposit("p", 1));
        String second = queue.enqueue(new Deposit("p", 2));
        String other = queue.enqueue(new Deposit("q", 3));
        List<QueueClaim> claims = queueStore.claim("w1", 10, Duration.ofSeconds(30));
        assertEquals(List.of(first, other), claims.stream().map(c -> c.command().id()).toList());
        assertEquals(List.of(), queueStore.claim("w2", 10, Duration.ofSeconds(30)));
        assertTrue(queueStore.finish(claims.get(0), new QueueResult(first, QueueStatus.SUCCEEDED, 1, 1,
                Position.of(1), Position.of(1), null)));
        assertFalse(queueStore.finish(claims.get(0), new QueueResult(first, QueueStatus.DEAD, 0, 0, null, null,
                "again")), "finished once");
        assertEquals(List.of(second), queueStore.claim("w2", 10, Duration.ofSeconds(30)).stream()
                .map(c -> c.command().id()).toList());
    }

    @Test
    void aWorkerKilledMidCommandLosesNothingAndAppliesNothingTwice() throws Exception {
        CommandQueue queue = queue().workers(2).build();
        List<Object> commands = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            commands.add(new Deposit("k" + (i % 4), 1));
        }
        List<String> ids = queue.enqueueAll(commands);
        List<String> args = new ArrayList<>(List.of("crash", "2"));
        args.addAll(location.childArguments());
        try (ChildJvm child = ChildJvm.start(QueueWorkerMain.class, args)) {
            assertTrue(child.await("started", Duration.ofSeconds(60)), "the child did not start");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String appended = null;
            while (appended == null && System.nanoTime() < deadline) {
                for (String id : ids) {
                    if (child.hasPrinted("appended " + id)) {
                        appended = id;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertTrue(appended != null, "the child appended nothing in 60 s");
            child.kill();
            assertEquals(QueueStatus.CLAIMED, queue.find(appended).orElseThrow().status(),
                    "appended but not recorded: the crash happened mid-command");
        }
        queue.start();
        closing.add(0, queue);
        List<CompletableFuture<QueueResult>> results = ids.stream().map(queue::await).toList();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertTrue(results.stream().allMatch(r -> r.join().succeeded()), "every command succeeded");
        for (int account = 0; account < 4; account++) {
            assertEquals(10, version("k" + account), "account k" + account);
        }
        assertEquals(new HashSet<>(ids), causations(40));
    }

    @Test
    void eightWorkersOnTwoJvmsDrainEveryCommandExactlyOnce() throws Exception {
        queue().build();
        int n = drainCommands();
        List<Object> commands = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            commands.add(new Deposit("d" + (i % 100), 1));
        }
        CommandQueue enqueuer = CommandQueue.builder(queueStore, CommandBus.builder(store)
                .register(CommandDomain.routes()).build(), CommandDomain.TYPES).workers(0).build();
        List<String> ids = enqueuer.enqueueAll(commands);
        List<String> args = new ArrayList<>(List.of("drain", "4"));
        args.addAll(location.childArguments());
        long started = System.nanoTime();
        try (ChildJvm one = ChildJvm.start(QueueWorkerMain.class, args);
             ChildJvm two = ChildJvm.start(QueueWorkerMain.class, args)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            long done = 0;
            while (done < n && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                done = countSucceeded();
            }
            assertEquals(n, done, "commands succeeded within 180 s");
        }
        System.out.printf("%s: %d commands drained by 8 workers on 2 JVMs in %d ms%n", db().kind(), n,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        for (int account = 0; account < 100; account++) {
            assertEquals(n / 100, version("d" + account), "account d" + account);
        }
        assertEquals(new HashSet<>(ids), causations(n));
    }

    private long countSucceeded() throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM "
                     + store.tableNames().table("command_queue") + " WHERE status = 'SUCCEEDED'")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The causation ids of every event of the log, checking there are {@code expected} events. */
    private Set<String> causations(int expected) {
        List<StoredEvent<Object>> all = new ArrayList<>();
        for (List<StoredEvent<Object>> page = store.readAll(Position.START, 1000); !page.isEmpty();
             page = store.readAll(page.get(page.size() - 1).position(), 1000)) {
            all.addAll(page);
        }
        assertEquals(expected, all.size(), "events in the log");
        Set<String> causations = new HashSet<>();
        all.forEach(e -> causations.add(e.metadata().causationId()));
        assertEquals(expected, causations.size(), "one event per command");
        return causations;
    }
}
