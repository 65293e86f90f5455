package dev.eskit.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import dev.eskit.subscription.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenancyTest {

    record Added(String note) {
    }

    record Add(String id, String note) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("t.Added", Added.class).build();
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId OTHER = TenantId.of("other-tenant");

    private final EventStore shared = EventStore.inMemory(TYPES);
    private final EventStore acme = TenantScopedEventStore.of(shared, ACME);
    private final EventStore other = TenantScopedEventStore.of(shared, OTHER);

    private static List<Object> data(List<StoredEvent<Object>> events) {
        List<Object> result = new ArrayList<>();
        events.forEach(e -> result.add(e.data()));
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ACME", "a::b", "a:b", "a/b", "a.b", "a b", "-acme", "_acme", "acmé", "acme\0",
            "a1234567890123456789012345678901234567890123456789012345678901234"})
    void invalidTenantIdsAreRefused(String value) {
        assertThrows(InvalidTenantException.class, () -> TenantId.of(value));
    }

    @Test
    void nullTenantIdsAreRefusedAndGoodOnesAccepted() {
        assertThrows(InvalidTenantException.class, () -> TenantId.of(null));
        assertEquals("a-1_b", TenantId.of("a-1_b").value());
    }

    @Test
    void aViewOfAnotherTenantsViewIsRefusedAndOfItsOwnIsThatView() {
        InvalidTenantException nested = assertThrows(InvalidTenantException.class,
                () -> TenantScopedEventStore.of(acme, OTHER));
        assertEquals("The event store given for tenant \"other-tenant\" is a view of tenant \"acme\". Build each"
                + " tenant's view on the shared store.", nested.getMessage());
        InvalidTenantException wrapped = assertThrows(InvalidTenantException.class,
                () -> TenantScopedEventStore.of(new dev.eskit.store.ForwardingEventStore(acme) { }, OTHER));
        assertTrue(wrapped.getMessage().contains("a view of tenant \"acme\""), wrapped.getMessage());
        assertThrows(InvalidTenantException.class,
                () -> TenantScopedEventStore.of(new dev.eskit.store.ForwardingEventStore(acme) { }, ACME));
        assertEquals(acme, TenantScopedEventStore.of(acme, ACME), "its own view, not a view of it");

        StreamRef stream = StreamRef.of("account", "n-1");
        TenantScopedEventStore.of(acme, ACME).append(stream, ExpectedVersion.noStream(), List.of(new Added("a")));
        assertEquals(1, shared.load(StreamRef.of("acme::account", "n-1")).size(), "prefixed once");
        assertEquals(0, shared.load(StreamRef.of("other-tenant::acme::account", "n-1")).size());
    }

    @Test
    void anIdempotencyKeyOfATenantsFormIsRefusedOutsideThatTenantsStreams() {
        StreamRef stream = StreamRef.of("account", "t-1");
        acme.append(AppendRequest.of(stream, ExpectedVersion.noStream(), List.of(new Added("a")))
                .withIdempotencyKey("k2"));
        assertTrue(shared.findIdempotentAppend("acme::k2").isPresent(), "kept as the tenant's key");
        dev.eskit.InvalidIdempotencyKeyException refused = assertThrows(
                dev.eskit.InvalidIdempotencyKeyException.class, () -> shared.append(AppendRequest.of(
                        StreamRef.of("account", "x1"), ExpectedVersion.any(), List.of(new Added("b")))
                        .withIdempotencyKey("acme::k2")));
        assertTrue(refused.getMessage().contains("not that tenant's"), refused.getMessage());
        assertEquals(0, shared.load(StreamRef.of("account", "x1")).size(), "nothing written");
        assertThrows(dev.eskit.InvalidIdempotencyKeyException.class, () -> other.append(AppendRequest.of(
                StreamRef.of("account", "x1"), ExpectedVersion.any(), List.of(new Added("b")))
                .withIdempotencyKey("acme::k2")), "another tenant's view: other-tenant::acme::k2 on other-tenant::");
    }

    @Test
    void tenantsWithTheSameStreamIdHaveSeparateStreams() {
        StreamRef account = StreamRef.of("account", "x");
        acme.append(account, ExpectedVersion.noStream(), List.of(new Added("acme 1")));
        assertEquals(0, other.streamVersion(account));
        assertTrue(other.load(account).isEmpty());
        other.append(account, ExpectedVersion.noStream(), List.of(new Added("other 1")));
        assertEquals(List.of(new Added("acme 1")), data(acme.load(account)));
        assertEquals(List.of(new Added("other 1")), data(other.load(account)));
        assertEquals(account, acme.load(account).get(0).stream());
        assertEquals(StreamRef.of("acme::account", "x"), shared.load(StreamRef.of("acme::account", "x")).get(0)
                .stream());
    }

    @ParameterizedTest
    @ValueSource(strings = {"other-tenant/x", "other-tenant::account/x", "../other-tenant/x", "x/../../other-tenant",
            "other-tenant::x", "::x", "x::", "/", "other-tenant"})
    void hostileStreamIdsNeverReachAnotherTenant(String hostileId) {
        other.append(StreamRef.of("account", "x"), ExpectedVersion.noStream(), List.of(new Added("secret")));
        other.append(StreamRef.of("account", hostileId), ExpectedVersion.any(), List.of(new Added("secret")));
        acme.append(StreamRef.of("account", hostileId), ExpectedVersion.any(), List.of(new Added("mine")));
        assertEquals(List.of(new Added("mine")), data(acme.load(StreamRef.of("account", hostileId))));
        assertEquals(1, acme.streamVersion(StreamRef.of("account", hostileId)));
        List<StoredEvent<Object>> log = acme.readAll(Position.START, 100);
        assertEquals(List.of(new Added("mine")), data(log));
    }

    @ParameterizedTest
    @ValueSource(strings = {"other-tenant::account", "other-tenant", "::account", "account::", "other-tenant:account"})
    void hostileStreamTypesNeverReachAnotherTenant(String hostileType) {
        other.append(StreamRef.of("account", "x"), ExpectedVersion.noStream(), List.of(new Added("secret")));
        assertTrue(acme.load(StreamRef.of(hostileType, "x")).isEmpty());
        assertEquals(0, acme.streamVersion(StreamRef.of(hostileType, "x")));
        acme.append(StreamRef.of(hostileType, "x"), ExpectedVersion.noStream(), List.of(new Added("mine")));
        assertEquals(List.of(new Added("secret")), data(other.load(StreamRef.of("account", "x"))));
        assertEquals(List.of(new Added("mine")), data(acme.readAll(Position.START, 10)));
        assertEquals(List.of(new Added("secret")), data(other.readAll(Position.START, 10)));
    }

    @Test
    void readAllReturnsOnlyTheTenantsEventsAcrossManyPages() {
        for (int i = 0; i < 1200; i++) {
            EventStore tenant = i % 10 == 0 ? acme : other;
            tenant.append(StreamRef.of("s", "n" + i), ExpectedVersion.noStream(), List.of(new Added("n" + i)));
        }
        List<StoredEvent<Object>> firstPage = acme.readAll(Position.START, 50);
        assertEquals(50, firstPage.size());
        List<StoredEvent<Object>> rest = acme.readAll(firstPage.get(49).position(), 100);
        assertEquals(70, rest.size());
        assertEquals("n1190", ((Added) rest.get(69).data()).note());
        assertTrue(rest.stream().allMatch(e -> e.streamType().equals("s")));
        assertEquals(1080, other.readAll(Position.START, 10_000).size());
        assertEquals(120, acme.readAll(Position.START, 10_000, Set.of("t.Added")).size());
    }

    @Test
    void idempotencyKeysAreScopedToTheTenant() {
        StreamRef stream = StreamRef.of("account", "x");
        AppendResult first = acme.append(AppendRequest.of(stream, ExpectedVersion.noStream(),
                List.of(new Added("a"))).withIdempotencyKey("k-1"));
        assertFalse(first.duplicate());
        assertTrue(other.findIdempotentAppend("k-1").isEmpty());
        AppendResult otherFirst = other.append(AppendRequest.of(stream, ExpectedVersion.noStream(),
                List.of(new Added("b"))).withIdempotencyKey("k-1"));
        assertFalse(otherFirst.duplicate());
        AppendResult again = acme.append(AppendRequest.of(stream, ExpectedVersion.any(),
                List.of(new Added("a"))).withIdempotencyKey("k-1"));
        assertTrue(again.duplicate());
        assertEquals(stream, again.events().get(0).stream());
        assertEquals(1, acme.streamVersion(stream));
    }

    @Test
    void checkpointsAreScopedToTheTenant() {
        CheckpointStore checkpoints = CheckpointStore.inMemory();
        CheckpointStore acmeCheckpoints = TenantScopedCheckpointStore.of(checkpoints, ACME);
        CheckpointStore otherCheckpoints = TenantScopedCheckpointStore.of(checkpoints, OTHER);
        acmeCheckpoints.save("balances", new Position(1, 7));
        assertTrue(otherCheckpoints.load("balances").isEmpty());
        otherCheckpoints.save("balances", new Position(1, 9));
        assertEquals(new Position(1, 7), acmeCheckpoints.load("balances").orElseThrow());
        otherCheckpoints.delete("balances");
        assertEquals(new Position(1, 7), acmeCheckpoints.load("balances").orElseThrow());
    }

    private TenantCommandBus bus() {
        Decider<Integer, Add, Added> decider = Decider.of(() -> 0, (Integer n, Add add) -> List.of(
                new Added(add.note())), (Integer n, Added added) -> n + 1);
        return TenantCommandBus.create(shared, store -> CommandBus.builder(store)
                .register(CommandRoute.of(Add.class, "list", Add::id, decider)).build());
    }

    @Test
    void theCommandBusTakesTheTenantFromTheContextAndStampsItOnTheEvents() {
        TenantCommandBus bus = bus();
        bus.send(new Add("l", "acme"), Tenancy.withTenant(CommandContext.create(), ACME));
        bus.send(new Add("l", "other"), Tenancy.withTenant(CommandContext.create(), OTHER));
        bus.send(new Add("l", "acme 2"), Tenancy.withTenant(CommandContext.create(), ACME));
        assertEquals(List.of(new Added("acme"), new Added("acme 2")), data(acme.load(StreamRef.of("list", "l"))));
        StoredEvent<Object> stored = shared.readAll(Position.START, 10).get(1);
        assertEquals("other-tenant", stored.metadata().extras().get(Tenancy.METADATA_KEY));
        assertEquals(OTHER, Tenancy.tenantOf(stored).orElseThrow());
    }

    @Test
    void eachTenantsBusKeepsItsOwnStateCacheAndTheFiguresAddUp() {
        Decider<Integer, Add, Added> decider = Decider.of(() -> 0, (Integer n, Add add) -> List.of(
                new Added(add.note())), (Integer n, Added added) -> n + 1);
        TenantCommandBus bus = TenantCommandBus.create(shared, store -> CommandBus.builder(store).cacheStates(10)
                .register(CommandRoute.of(Add.class, "list", Add::id, decider)).build());
        assertTrue(bus.stateCaches().isEmpty(), "no tenant's bus yet");
        // The same stream id in two tenants: two streams, two cache entries, never one state for both.
        bus.send(new Add("l", "acme"), Tenancy.withTenant(CommandContext.create(), ACME));
        bus.send(new Add("l", "other"), Tenancy.withTenant(CommandContext.create(), OTHER));
        assertEquals(2, bus.send(new Add("l", "acme 2"), Tenancy.withTenant(CommandContext.create(), ACME))
                .version());
        assertEquals(2, bus.send(new Add("l", "other 2"), Tenancy.withTenant(CommandContext.create(), OTHER))
                .version());
        dev.eskit.command.StateCacheStats all = bus.stateCaches().get("list");
        assertEquals(20, all.maxStreams());
        assertEquals(2, all.streams());
        assertEquals(2, all.misses());
        assertEquals(2, all.hits());
        assertEquals(1, bus.forTenant(ACME).stateCaches().get("list").streams());
    }

    @Test
    void aCommandWithoutAValidTenantIsRefusedAndWritesNothing() {
        TenantCommandBus bus = bus();
        assertThrows(MissingTenantException.class, () -> bus.send(new Add("l", "x"), CommandContext.create()));
        CommandContext forged = CommandContext.of(dev.eskit.Metadata.empty().with(Tenancy.METADATA_KEY, "acme::x"));
        assertThrows(InvalidTenantException.class, () -> bus.send(new Add("l", "x"), forged));
        assertTrue(shared.readAll(Position.START, 10).isEmpty());
    }

    @Test
    void concurrentTenantsNeverSeeEachOthersEvents() throws Exception {
        int tenants = 6;
        int perTenant = 150;
        ExecutorService pool = Executors.newFixedThreadPool(tenants);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            TenantId tenant = TenantId.of("t" + t);
            EventStore view = TenantScopedEventStore.of(shared, tenant);
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perTenant; i++) {
                    // Every tenant writes the same stream ids, including ones naming other tenants.
                    view.append(StreamRef.of("s", i % 2 == 0 ? "shared" : "t" + ((i / 2) % tenants) + "/x"),
                            ExpectedVersion.any(), List.of(new Added(tenant.value())));
                    List<StoredEvent<Object>> seen = view.readAll(Position.START, 10_000);
                    for (StoredEvent<Object> event : seen) {
                        assertEquals(tenant.value(), ((Added) event.data()).note());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (int t = 0; t < tenants; t++) {
            EventStore view = TenantScopedEventStore.of(shared, TenantId.of("t" + t));
            assertEquals(perTenant, view.readAll(Position.START, 10_000).size());
            assertEquals(perTenant / 2, view.streamVersion(StreamRef.of("s", "shared")));
        }
    }
}
