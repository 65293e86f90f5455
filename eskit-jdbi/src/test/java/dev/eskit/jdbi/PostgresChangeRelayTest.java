package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.ChangeSignal;
import dev.eskit.change.ChangeSubscription;
import dev.eskit.change.Topic;
import dev.eskit.jdbi.postgres.PostgresChangeRelay;
import dev.eskit.testkit.EskitDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two JVMs, two nodes: changes published on node A (a child JVM) reach node B's subscribers (this JVM) over LISTEN/
 * NOTIFY, in order; a change too large for a NOTIFY arrives as a change of the whole read model; B's own change
 * reaches A and is not delivered twice on B.
 */
class PostgresChangeRelayTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int COUNT = 50;

    /** Skips the class (or fails it under ESKIT_REQUIRE_PG=1) when PostgreSQL is unreachable. */
    @RegisterExtension
    static final EskitDatabase SERVER = EskitDatabase.postgres();

    static Change next(ChangeSubscription subscription) throws InterruptedException {
        Optional<ChangeSignal> signal = subscription.poll(WAIT);
        assertTrue(signal.isPresent(), "nothing relayed within " + WAIT);
        return (Change) signal.get();
    }

    @Test
    void changesProjectedOnOneNodeReachSubscribersOnAnotherInOrder() throws Exception {
        String channel = "eskit_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ChangeNotifier notifier = ChangeNotifier.create(COUNT * 2, 1000);
        try (PostgresChangeRelay relay = PostgresChangeRelay.start(Databases.postgresUrl(), channel, notifier);
             ChangeSubscription all = notifier.subscribe(List.of(Topic.of("balances")));
             ChangeSubscription k3 = notifier.subscribe(List.of(Topic.of("balances", "k3")));
             ChangeSubscription orders = notifier.subscribe(List.of(Topic.of("orders")))) {
            assertTrue(relay.awaitListening(WAIT));
            try (ChildJvm nodeA = ChildJvm.start(RelayNodeMain.class,
                    List.of(Databases.postgresUrl(), channel, Integer.toString(COUNT)))) {
                assertTrue(nodeA.await("listening", WAIT), "node A did not listen");
                notifier.publish(Change.of("orders", List.of("o1"), Position.of(7)));
                assertTrue(nodeA.await("got orders 0.7", WAIT), "node A did not get node B's change");
                for (int i = 1; i <= COUNT; i++) {
                    assertEquals(Change.of("balances", List.of("k" + i), Position.of(i)), next(all));
                }
                Change large = next(all);
                assertTrue(large.isWhole(), "a change too large for NOTIFY arrives as a whole-model change");
                assertEquals(Position.of(COUNT + 1), large.position());
                assertTrue(nodeA.await("sent", WAIT));

                assertEquals(Change.of("balances", List.of("k3"), Position.of(3)), next(k3));
                assertEquals(large, next(k3));
                assertEquals(Change.of("orders", List.of("o1"), Position.of(7)), next(orders));
                // Its own notification came back over the channel too, and was ignored.
                assertEquals(Optional.empty(), orders.poll(Duration.ofMillis(500)));
                assertEquals(COUNT + 1, relay.received());
                assertEquals(1, relay.sent());
            }
        }
    }
}
