package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.change.AnnouncingTransactor;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeKeys;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.ChangeSignal;
import dev.eskit.change.ChangeSubscription;
import dev.eskit.change.Resync;
import dev.eskit.change.Topic;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.http.HealthCheck;
import dev.eskit.http.LiveHttpServer;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java example of docs/live-views.md, compiled and run. Keep the two in step. */
class LiveViewsGuideExamplesTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aGeneratedProjectionAnnouncesItsChangesToSubscribersOfAKey() throws Exception {
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("app.db"),
                EventTypes.of(new BankEventTypes()))) {
            CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
            // --- docs/live-views.md: "Announcing changes"
            ChangeNotifier changes = ChangeNotifier.create();
            Balances balances = new Balances();
            Projector live = changes.announcing(Projector.of(new BalancesHandlers(balances)), ChangeKeys.streamId());
            Subscription projection = live.subscription(store, CheckpointStore.inMemory()).build().start();

            // --- docs/live-views.md: "Watching changes in the JVM"
            try (ChangeSubscription alice = changes.subscribe(List.of(Topic.of("balances", "alice")))) {
                bus.send(new OpenAccount("alice", "Alice"));
                bus.send(new Deposit("alice", 500));
                bus.send(new OpenAccount("bob", "Bob"));
                List<Change> seen = new ArrayList<>();
                while (seen.size() < 2) {
                    Optional<ChangeSignal> signal = alice.poll(WAIT);
                    if (signal.isEmpty()) {
                        break;                                   // nothing for a while: send a heartbeat, ...
                    }
                    if (signal.get() instanceof Change change) {
                        seen.add(change);                        // the read model already holds the change
                        assertTrue(balances.all().containsKey("alice"));
                    } else if (signal.get() instanceof Resync) {
                        seen.clear();                           // missed changes: reload everything shown
                    }
                }
                // Alice's opening and deposit (positions 1 and 2); bob's opening is not alice's topic.
                assertEquals(List.of(Change.of("balances", List.of("alice"), Position.of(1)),
                        Change.of("balances", List.of("alice"), Position.of(2))), seen);
                assertEquals(500L, balances.all().get("alice"));
            }
            projection.close();
        }
    }

    @Test
    void aTransactionalProjectionAnnouncesAfterItsCommit() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        try (JdbiEventStore store = JdbiEventStore.sqlite(url, EventTypes.of(new BankEventTypes()))) {
            CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
            Jdbi jdbi = Jdbi.create(url);
            jdbi.useHandle(h -> h.execute("CREATE TABLE balance (account TEXT PRIMARY KEY, cents INTEGER NOT NULL)"));
            ChangeNotifier changes = ChangeNotifier.create();
            List<Long> visibleWhenAnnounced = new java.util.concurrent.CopyOnWriteArrayList<>();
            changes.onPublish(change -> visibleWhenAnnounced.add(jdbi.withHandle(h -> h
                    .select("SELECT cents FROM balance WHERE account = 'alice'").mapTo(Long.class).one())));
            // --- docs/live-views.md: "Transactional projections"
            AnnouncingTransactor<Handle> transactor =
                    changes.announcing("balances", JdbiTransactor.of(jdbi, store), ChangeKeys.streamId());
            Subscription projection = Subscription.builder("balances", store, store.checkpoints())
                    .eventTypes("bank.AccountOpened", "bank.Deposited")
                    .transactional(transactor, transactor.handler((handle, event) -> {
                        if (event.data() instanceof AccountOpened opened) {
                            handle.execute("INSERT INTO balance VALUES (?, 0)", opened.accountId());
                        } else if (event.data() instanceof Deposited deposited) {
                            handle.execute("UPDATE balance SET cents = cents + ? WHERE account = ?",
                                    deposited.amountCents(), deposited.accountId());
                        }
                    }))
                    .onReset(transactor.onReset(() -> jdbi.useHandle(h -> h.execute("DELETE FROM balance"))))
                    .build()
                    .start();
            try (ChangeSubscription alice = changes.subscribe(List.of(Topic.of("balances", "alice")))) {
                bus.send(new OpenAccount("alice", "Alice"));
                bus.send(new Deposit("alice", 700));
                assertTrue(projection.awaitPosition(store.raw().stats().lastPosition(), WAIT));
                assertTrue(alice.poll(WAIT).isPresent());
                // The subscription's position moves after the announcement, so both are done. Each change was
                // announced once its transaction had committed: another connection already saw the balance.
                assertEquals(700L, visibleWhenAnnounced.get(visibleWhenAnnounced.size() - 1));
            } finally {
                projection.close();
            }
        }
    }

    @Test
    void theServerStreamsChangesAndReportsHealth() throws Exception {
        ChangeNotifier changes = ChangeNotifier.create();
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("app.db"),
                EventTypes.of(new BankEventTypes()));
             Subscription balances = changes.announcing(Projector.of(new BalancesHandlers(new Balances())),
                     ChangeKeys.streamId()).subscription(store, CheckpointStore.inMemory()).build().start()) {
            // --- docs/live-views.md: "Serving Server-Sent Events"
            LiveHttpServer server = LiveHttpServer.builder(changes)
                    .port(0)                                             // 0: any free port; 8080 in production
                    .maxConnections(1_000)
                    .heartbeat(Duration.ofSeconds(15))
                    .health(HealthCheck.builder()
                            .subscription(balances)
                            .maxLagEvents(500)
                            .maxLagAge(Duration.ofMinutes(1))
                            .build())
                    .start();
            try (server) {
                assertTrue(balances.awaitCaughtUp(WAIT));
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                assertTrue(health.body().startsWith("{\"status\":\"UP\""), health.body());
            }
        }
    }
}
