package dev.eskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.automation.Automation;
import dev.eskit.automation.Automations;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.docs.bank.Balances;
import dev.eskit.docs.bank.BalancesHandlers;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandRoute;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.Transactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The examples of docs/projections.md, on the in-memory store and a temporary SQLite file. The {@code @Projection}
 * example uses {@code dev.eskit.docs.bank.Balances} from this module's main sources and its generated handlers.
 */
class ProjectionsGuideExamplesTest {

    private static final EventTypes TYPES = EventTypes.builder()
            .add("bank.Deposited", Deposited.class)
            .add("bank.Withdrawn", Withdrawn.class)
            .add("shop.OrderPlaced", OrderPlaced.class)
            .add("shop.StockReserved", StockReserved.class)
            .build();

    record OrderPlaced(String orderId, String sku, int quantity) {
    }

    record ReserveStock(String sku, int quantity) {
    }

    record StockReserved(String sku, int quantity) {
    }

    @Test
    void aProjectorFromLambdasFoldsTheLogAndRebuildsThroughItsResetHook() throws Exception {
        EventStore store = EventStore.inMemory(TYPES);
        CheckpointStore checkpoints = CheckpointStore.inMemory();
        store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(),
                List.of(new Deposited("a-1", 100), new Withdrawn("a-1", 30)));

        Map<String, Long> balances = new ConcurrentHashMap<>();
        Projector projector = Projector.of("balances", Set.of("bank.Deposited", "bank.Withdrawn"), event -> {
            if (event.data() instanceof Deposited d) {
                balances.merge(d.accountId(), d.amountCents(), Long::sum);
            } else if (event.data() instanceof Withdrawn w) {
                balances.merge(w.accountId(), -w.amountCents(), Long::sum);
            }
        }, balances::clear);

        Subscription running = projector.subscription(store, checkpoints)   // a Subscription.Builder, preset
            .checkpointEvery(500)
            .build()
            .start();
        try {
            assertTrue(running.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(Map.of("a-1", 70L), balances);
            assertEquals("balances", running.name());

            running.rebuild();   // reset hook, then the whole log again: the same fold, not twice the amounts
            var last = store.append(StreamRef.of("account", "a-1"), ExpectedVersion.exactly(2),
                    List.of(new Deposited("a-1", 1)));
            assertTrue(running.awaitPosition(last.lastPosition(), Duration.ofSeconds(30)));
            assertEquals(Map.of("a-1", 71L), balances);
        } finally {
            running.stop();
        }
    }

    @Test
    void aGeneratedProjectionHandlerRunsAsASubscriptionNamedAfterItsAnnotation() throws Exception {
        EventStore store = EventStore.inMemory();   // the generated registries of dev.eskit.docs.bank
        CheckpointStore checkpoints = CheckpointStore.inMemory();
        var appended = store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(
                new dev.eskit.docs.bank.Deposited("a-1", 40), new dev.eskit.docs.bank.Withdrawn("a-1", 15, "rent")));

        // As on the page:
        Balances balances = new Balances();
        Subscription running = Projector.of(new BalancesHandlers(balances), balances::clear)
            .subscription(store, checkpoints)   // named after @Projection(name = ...), filtered by the @Handle event types
            .build()
            .start();
        try {
            assertTrue(running.awaitPosition(appended.lastPosition(), Duration.ofSeconds(30)));
        } finally {
            running.stop();
        }
        assertEquals("balances", running.name());
        assertEquals(Map.of("a-1", 25L), balances.all());
    }

    /** The generic transactional example, compiled only: {@code transactor} and {@code jdbi} come from the context. */
    @SuppressWarnings("unused")
    static void transactionalAsOnThePage(EventStore store, CheckpointStore checkpoints, Transactor<Handle> transactor,
            Jdbi jdbi) {
        Subscription balances = Subscription.builder("balances", store, checkpoints)
            .eventTypes("bank.Deposited")
            .transactional(transactor, (handle, event) -> {
                Deposited d = (Deposited) event.data();
                handle.execute("UPDATE balances SET cents = cents + ? WHERE account = ?", d.amountCents(), d.accountId());
            })
            .checkpointEvery(200)                // events per transaction
            .onReset(() -> jdbi.useHandle(h -> h.execute("DELETE FROM balances")))
            .build()
            .start();
    }

    @Test
    void aJdbiTransactorCommitsTheReadModelAndTheCheckpointTogetherOnSqlite(@TempDir Path dir) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("bank.db"));
        EventCodec codec = JsonEventCodec.create(TYPES);

        // As on the page:
        Jdbi jdbi = Jdbi.create(dataSource);
        JdbiEventStore store = JdbiEventStore.create(jdbi, codec);
        jdbi.useHandle(h -> h.execute("CREATE TABLE balances (account TEXT PRIMARY KEY, cents INTEGER NOT NULL)"));
        var appended = store.append(StreamRef.of("account", "a-17"), ExpectedVersion.noStream(),
                List.of(new Deposited("a-17", 500), new Deposited("a-17", 250)));
        Subscription balances = Subscription.builder("balances", store, store.checkpoints())
            .eventTypes("bank.Deposited")
            .transactional(JdbiTransactor.of(jdbi, store), (handle, event) -> {
                Deposited d = (Deposited) event.data();
                handle.execute("INSERT INTO balances AS b (account, cents) VALUES (?, ?)"
                    + " ON CONFLICT (account) DO UPDATE SET cents = b.cents + excluded.cents", d.accountId(), d.amountCents());
            })
            .build()
            .start();
        try {
            assertTrue(balances.awaitPosition(appended.lastPosition(), Duration.ofSeconds(30)));
        } finally {
            balances.stop();
            store.close();
        }
        long cents = jdbi.withHandle(h -> h.createQuery("SELECT cents FROM balances WHERE account = 'a-17'")
                .mapTo(Long.class).one());
        assertEquals(750, cents);
        try (JdbiEventStore reopened = JdbiEventStore.create(jdbi, codec)) {
            assertEquals(appended.lastPosition(), reopened.checkpoints().load("balances").orElseThrow());
        }
    }

    @Test
    void anAutomationSendsCommandsCausedByTheEventAndCorrelatedWithIt() throws Exception {
        EventStore store = EventStore.inMemory(TYPES);
        CheckpointStore checkpoints = CheckpointStore.inMemory();
        Decider<Integer, ReserveStock, StockReserved> stockDecider = Decider.of(
                () -> 0,
                (reserved, command) -> List.of(new StockReserved(command.sku(), command.quantity())),
                (reserved, event) -> reserved + event.quantity());
        CommandBus bus = CommandBus.builder(store)
                .register(CommandRoute.of(ReserveStock.class, "stock", ReserveStock::sku, stockDecider))
                .build();
        var placed = store.append(StreamRef.of("order", "o-1"), ExpectedVersion.noStream(),
                List.of(new OrderPlaced("o-1", "apple", 3)), Metadata.correlatedBy("request-1"));

        // As on the page:
        Automation reserveStock = event -> event.data() instanceof OrderPlaced placedEvent
            ? List.of(new ReserveStock(placedEvent.sku(), placedEvent.quantity()))
            : List.of();

        Subscription stock = Automations.subscription("reserve-stock", store, checkpoints, bus, reserveStock)
            .eventTypes("shop.OrderPlaced")
            .build()
            .start();
        try {
            assertTrue(stock.awaitPosition(placed.lastPosition(), Duration.ofSeconds(30)));
        } finally {
            stock.stop();
        }
        List<StoredEvent<Object>> reserved = store.load(StreamRef.of("stock", "apple"));
        assertEquals(List.of(new StockReserved("apple", 3)), reserved.stream().map(StoredEvent::data).toList());
        assertEquals("request-1", reserved.get(0).metadata().correlationId());
        assertEquals(placed.events().get(0).id().toString(), reserved.get(0).metadata().causationId());

        // A redelivered event sends the same command with the same idempotency key: nothing is appended twice.
        bus.send(new ReserveStock("apple", 3), Automations.context("reserve-stock", placed.events().get(0), 0));
        assertEquals(1, store.load(StreamRef.of("stock", "apple")).size());
    }
}
