package dev.eskit.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two tenants ({@code acme} and the look-alike {@code acme-}) run live read models of the same name on one notifier:
 * neither's subscribers are woken or fed by the other's changes, resyncs or history, nor see its keys.
 */
class TenantChangesTest {

    record Deposited(String accountId, long cents) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    final EventStore shared = EventStore.inMemory(EventTypes.builder().add("bank.Deposited", Deposited.class)
            .build());
    final ChangeNotifier notifier = ChangeNotifier.create();
    final TenantScope a = TenantScope.of(TenantId.of("acme"));
    final TenantScope b = TenantScope.of(TenantId.of("acme-"));

    static void deposit(EventStore store, String account) {
        store.append(StreamRef.of("account", account), ExpectedVersion.any(), List.of(new Deposited(account, 1)));
    }

    static List<ChangeSignal> drain(ChangeSubscription subscription) {
        List<ChangeSignal> signals = new ArrayList<>();
        for (Optional<ChangeSignal> s = subscription.poll(); s.isPresent(); s = subscription.poll()) {
            signals.add(s.get());
        }
        return signals;
    }

    /**
     * The projector announces on the shared notifier, its subscriptions run on the tenants' stores: each tenant's
     * subscriber gets its own changes only; the shared notifier's plain "balances" topic (what every tenant's live view
     * subscribed to before) gets neither.
     */
    @Test
    void sameNamedProjectionsOfTwoTenantsOnOneNotifierNeverWakeEachOther() throws Exception {
        Projector live = notifier.announcing(Projector.of("balances", Set.of("bank.Deposited"), event -> { }),
                ChangeKeys.streamId());
        EventStore storeA = a.events(shared);
        EventStore storeB = b.events(shared);
        try (ChangeSubscription plain = notifier.subscribe(List.of(Topic.of("balances")));
             ChangeSubscription ofA = a.changes(notifier).subscribe(List.of(Topic.of("balances")));
             ChangeSubscription ofB = b.changes(notifier).subscribe(List.of(Topic.of("balances")));
             ChangeSubscription secretKey = b.changes(notifier).subscribe(List.of(Topic.of("balances", "a-secret")));
             Subscription runA = live.subscription(storeA, CheckpointStore.inMemory()).build().start();
             Subscription runB = live.subscription(storeB, CheckpointStore.inMemory()).build().start()) {
            deposit(storeA, "a-secret");
            deposit(storeA, "x");
            deposit(storeB, "x");
            assertTrue(runA.awaitCaughtUp(WAIT) && runB.awaitCaughtUp(WAIT));
            ChangeSignal first = ofB.poll(WAIT).orElseThrow();
            assertEquals(Change.of("balances", List.of("x"), Position.of(3)), first, "B's own change, B's name");
            assertEquals(List.of(Change.of("balances", List.of("a-secret"), Position.of(1)),
                    Change.of("balances", List.of("x"), Position.of(2))), List.of(ofA.poll(WAIT).orElseThrow(),
                    ofA.poll(WAIT).orElseThrow()));
            runA.rebuild();
            assertInstanceOf(Resync.class, ofA.poll(WAIT).orElseThrow(), "A's rebuild resyncs A");
            assertEquals(Change.of("balances", List.of("a-secret"), Position.of(1)), ofA.poll(WAIT).orElseThrow());
            assertTrue(runA.awaitCaughtUp(WAIT));
            assertEquals(List.of(), drain(ofB), "A's changes and rebuild never reach B");
            assertEquals(List.of(), drain(secretKey), "B cannot watch A's key");
            assertEquals(List.of(), drain(plain), "nothing under the shared name");
        }
    }

    @Test
    void resyncsHistoryAndHostileNamesStayWithinTheTenant() throws Exception {
        ChangeNotifier viewA = a.changes(notifier);
        ChangeNotifier viewB = b.changes(notifier);
        assertSame(viewA, viewA.forTenant(a));
        assertSame(viewA, a.changes(viewA));
        assertThrows(InvalidTenantException.class, () -> b.changes(viewA));
        try (ChangeSubscription ofB = viewB.subscribe(List.of(Topic.of("balances"), Topic.of("orders")))) {
            List<ChangeSubscription> forged = new ArrayList<>();
            for (String text : List.of("acme::balances", "::balances", ":balances", "acme::balances:k")) {
                if (!text.startsWith(":")) {
                    forged.add(viewB.subscribe(List.of(Topic.parse(text))));
                }
                forged.add(viewB.subscribe(List.of(new Topic(text, null))));
            }
            viewA.publish(Change.of("balances", List.of("k"), Position.of(1)));
            viewA.publish(Change.whole("orders", Position.of(2)));
            viewA.receive(Change.of("balances", List.of("k"), Position.of(3)));
            viewA.resync("balances", "rebuild");
            viewA.resync(null, "relay");
            assertEquals(List.of(), drain(ofB), "B saw nothing of A");
            for (ChangeSubscription f : forged) {
                assertEquals(List.of(), drain(f), f.toString());
                f.close();
            }
            // History: B resuming from the start gets a resync (nothing of B is known), never A's changes.
            try (ChangeSubscription resumed = viewB.subscribe(List.of(Topic.of("balances")), Position.START, 10)) {
                List<ChangeSignal> signals = drain(resumed);
                assertEquals(1, signals.size());
                assertInstanceOf(Resync.class, signals.get(0));
            }
            viewB.publish(Change.of("balances", List.of("b"), Position.of(4)));
            viewA.publish(Change.of("balances", List.of("a"), Position.of(5)));
            viewB.publish(Change.of("balances", List.of("b"), Position.of(6)));
            assertEquals(2, drain(ofB).size());
            try (ChangeSubscription resumed = viewB.subscribe(List.of(Topic.of("balances")), Position.of(4), 10)) {
                assertEquals(List.of(Change.of("balances", List.of("b"), Position.of(6))), drain(resumed),
                        "B's history only");
            }
            // A resync of every read model from B's view reaches B only.
            try (ChangeSubscription ofA = viewA.subscribe(List.of(Topic.of("balances")))) {
                viewB.resync(null, "relay");
                assertInstanceOf(Resync.class, drain(ofB).get(0));
                assertEquals(List.of(), drain(ofA));
                assertEquals(1, viewA.subscribers());
                assertEquals(1, viewB.subscribers());
                assertEquals(List.of(Topic.of("balances")), ofA.topics(), "the tenant's own names");
            }
        }
        for (String hostile : List.of("", "x\uD800")) {
            assertThrows(InvalidInputException.class, () -> viewA.subscribe(List.of(new Topic(hostile, null))));
        }
        assertThrows(InvalidInputException.class, () -> viewA.onPublish(change -> { }),
                "relays run on the shared notifier");
    }

    /** What a relay forwards from the shared notifier: every tenant's changes, under their scoped names. */
    @Test
    void theSharedNotifierForwardsScopedNames() {
        List<Change> forwarded = new CopyOnWriteArrayList<>();
        notifier.onPublish(forwarded::add);
        a.changes(notifier).publish(Change.of("balances", List.of("k"), Position.of(1)));
        assertEquals(List.of(Change.of("acme::balances", List.of("k"), Position.of(1))), forwarded);
        // And a change received from another node under a tenant's name reaches that tenant only.
        try (ChangeSubscription ofA = a.changes(notifier).subscribe(List.of(Topic.of("balances")));
             ChangeSubscription ofB = b.changes(notifier).subscribe(List.of(Topic.of("balances")))) {
            notifier.receive(Change.of("acme::balances", List.of("k"), Position.of(2)));
            assertEquals(List.of(Change.of("balances", List.of("k"), Position.of(2))), drain(ofA));
            assertEquals(List.of(), drain(ofB));
        }
    }

    /** Two tenants publishing from several threads at once: each subscriber gets exactly its tenant's changes. */
    @Test
    void tenantsPublishingConcurrentlyEachGetExactlyTheirOwn() throws Exception {
        int perThread = 2_000;
        List<TenantScope> tenants = List.of(a, b, a, b);
        try (ChangeSubscription ofA = a.changes(notifier).subscribe(List.of(Topic.of("balances")), null, 100_000);
             ChangeSubscription ofB = b.changes(notifier).subscribe(List.of(Topic.of("balances")), null, 100_000)) {
            ExecutorService pool = Executors.newFixedThreadPool(tenants.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (TenantScope tenant : tenants) {
                ChangeNotifier view = tenant.changes(notifier);
                String key = tenant.tenant().value();
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        view.publish(Change.of("balances", List.of(key), Position.of(i + 1)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<ChangeSignal> gotA = drain(ofA);
            List<ChangeSignal> gotB = drain(ofB);
            assertEquals(2 * perThread, gotA.size());
            assertEquals(2 * perThread, gotB.size());
            assertTrue(gotA.stream().allMatch(s -> ((Change) s).keys().equals(Set.of("acme"))));
            assertTrue(gotB.stream().allMatch(s -> ((Change) s).keys().equals(Set.of("acme-"))));
        }
    }
}
