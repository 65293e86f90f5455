package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Retry;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.command.CommandHandler;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.PersonalDataContract.CrmPersonalData;
import dev.eskit.jdbi.PersonalDataContract.Registered;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The command handler's state cache on a database shared by two nodes, each with its own store instance and its own
 * cached handler: each node sees the other's appends, a deleted stream started again is not served from the cache, a
 * tombstone fails as without one, tenants never share a state, a forgotten subject's plaintext is not decided on, and
 * concurrent commands from both nodes on one stream lose nothing.
 */
abstract class StateCacheContract {

    /** An account's balance; a withdrawal beyond it is refused. */
    private static final Decider<Long, Object, Object> ACCOUNT = Decider.of(() -> 0L, (balance, command) -> {
        if (command instanceof Withdrawn withdrawn && withdrawn.cents() > balance) {
            throw new IllegalStateException("balance " + balance + " is below " + withdrawn.cents());
        }
        return List.of(command);
    }, (balance, event) -> event instanceof Deposited deposited ? balance + deposited.cents()
            : balance - ((Withdrawn) event).cents());

    abstract Databases db();

    /** The key tables of a location (same database as its events). */
    abstract TableNames keyTables(Databases.Location location);

    private static CommandHandler<Long, Object, Object> cached(EventStore store) {
        return CommandHandler.builder(store, ACCOUNT, "account").cacheStates(100)
                .retry(new Retry(100, Duration.ZERO, Duration.ZERO, false)).build();
    }

    /** The balance a fold of the whole stream gives, read without the handler. */
    private static long freshFold(EventStore store, String id) {
        return store.load(StreamRef.of("account", id)).stream().map(event -> event.data())
                .reduce(0L, ACCOUNT::evolve, (a, b) -> b);
    }

    @Test
    void eachNodeDecidesOnTheOtherNodesAppends() {
        Databases.Location location = db().newLocation();
        JdbiEventStore storeA = db().open(location);
        JdbiEventStore storeB = db().open(location);
        CommandHandler<Long, Object, Object> nodeA = cached(storeA);
        CommandHandler<Long, Object, Object> nodeB = cached(storeB);
        nodeA.handle("a-1", new Deposited("a-1", 10));
        nodeB.handle("a-1", new Deposited("a-1", 5));
        nodeA.handle("a-1", new Deposited("a-1", 1)); // A is warm at version 3, balance 16
        nodeB.handle("a-1", new Withdrawn("a-1", 16));
        // A's cached 16 is stale: the load after its version brings B's withdrawal, and the withdrawal is refused.
        assertThrows(IllegalStateException.class, () -> nodeA.handle("a-1", new Withdrawn("a-1", 1)));
        assertEquals(7L, nodeA.handle("a-1", new Deposited("a-1", 7)).state());
        assertEquals(0L, nodeB.handle("a-1", new Withdrawn("a-1", 7)).state());
        assertEquals(0L, freshFold(storeA, "a-1"));
    }

    @Test
    void aDeletedStreamStartedAgainIsNotServedFromTheCacheAndATombstoneFails() {
        Databases.Location location = db().newLocation();
        JdbiEventStore storeA = db().open(location);
        JdbiEventStore storeB = db().open(location);
        CommandHandler<Long, Object, Object> nodeA = cached(storeA);
        StreamRef stream = StreamRef.of("account", "a-1");
        nodeA.handle("a-1", new Deposited("a-1", 100));
        nodeA.handle("a-1", new Deposited("a-1", 100));
        storeB.delete(stream);
        storeB.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("a-1", 1), new Deposited("a-1", 2)));
        // Same version 2 as A's cached state, other events: A folds them, not its 200.
        assertEquals(4L, nodeA.handle("a-1", new Deposited("a-1", 1)).state());
        storeB.delete(stream);
        assertEquals(1L, nodeA.handle("a-1", new Deposited("a-1", 1)).state());
        storeB.tombstone(stream);
        assertThrows(StreamTombstonedException.class, () -> nodeA.handle("a-1", new Deposited("a-1", 1)));
        assertEquals(1L, freshFold(storeA, "a-1"));
    }

    @Test
    void tenantsOnOneStoreNeverShareAState() {
        JdbiEventStore shared = db().newStore();
        CommandHandler<Long, Object, Object> acme = cached(TenantScope.of(TenantId.of("acme")).events(shared));
        CommandHandler<Long, Object, Object> beta = cached(TenantScope.of(TenantId.of("beta")).events(shared));
        acme.handle("a-1", new Deposited("a-1", 2_000_000));
        beta.handle("a-1", new Deposited("a-1", 4));
        acme.handle("a-1", new Deposited("a-1", 2));
        assertEquals(5L, beta.handle("a-1", new Deposited("a-1", 1)).state());
        assertThrows(IllegalStateException.class, () -> beta.handle("a-1", new Withdrawn("a-1", 6)));
        assertEquals(2_000_002L, acme.handle("a-1", new Deposited("a-1", 0)).state());
    }

    @Test
    void afterAForgetTheNextCommandDecidesOnTheErasedData() {
        Databases.Location location = db().newLocation();
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(Jdbi.create(location.dataSource()),
                keyTables(location)), MasterKey.generate("m1"));
        PersonalDataProtector protector = PersonalDataProtector.create(keys, new CrmPersonalData());
        JdbiEventStore storeA = db().track(location.builder(protector.codec(PersonalDataContract.TYPES)).build());
        JdbiEventStore storeB = db().track(location.builder(protector.codec(PersonalDataContract.TYPES)).build());
        // The state is the last e-mail seen; a "peek" command appends nothing, others are appended as they are.
        Decider<String, Registered, Registered> emails = Decider.of(() -> "",
                (state, command) -> command.plan().equals("peek") ? List.of() : List.of(command),
                (state, event) -> event.email());
        CommandHandler<String, Registered, Registered> nodeA = CommandHandler.builder(storeA, emails, "customer")
                .cacheStates(100).build();
        nodeA.handle("c-1", new Registered("c-1", "ann@example.com", "gold"));
        assertEquals("ann@example.com", nodeA.handle("c-1", new Registered("c-1", "", "peek")).state());
        // Forgotten through the other node's store: A must not keep deciding on the plaintext it folded.
        assertEquals(1, protector.forget("c-1"));
        assertEquals(FieldCipher.ERASED, CommandHandler.of(storeB, emails, "customer")
                .handle("c-1", new Registered("c-1", "", "peek")).state());
        assertEquals(FieldCipher.ERASED, nodeA.handle("c-1", new Registered("c-1", "", "peek")).state());
    }

    @Test
    void concurrentCommandsFromTwoNodesOnOneStreamLoseNothing() throws Exception {
        Databases.Location location = db().newLocation();
        List<CommandHandler<Long, Object, Object>> nodes = List.of(cached(db().open(location)),
                cached(db().open(location)));
        int threads = 4;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CommandHandler<Long, Object, Object> node = nodes.get(t % 2);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; ) {
                        try {
                            node.handle("a-1", new Deposited("a-1", 1));
                            i++;
                        } catch (ConcurrencyException e) {
                            // a hundred conflicts in a row: send the command again
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long expected = (long) threads * perThread;
        JdbiEventStore check = db().open(location);
        assertEquals(expected, check.streamVersion(StreamRef.of("account", "a-1")));
        assertEquals(expected, freshFold(check, "a-1"));
        // Both nodes' next commands decide on the full balance.
        assertEquals(expected, nodes.get(0).handle("a-1", new Withdrawn("a-1", expected)).state() + expected);
        assertEquals(0L, nodes.get(1).handle("a-1", new Withdrawn("a-1", 0)).state());
    }
}
