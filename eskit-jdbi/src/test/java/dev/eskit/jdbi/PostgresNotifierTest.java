package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.postgres.PostgresNotifier;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LISTEN/NOTIFY wake-ups between two "nodes" (two stores and two notifiers on one database). */
class PostgresNotifierTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Test
    void anAppendOnOneNodeWakesASubscriptionOnAnotherWithoutWaitingForItsPoll() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore nodeA = DB.open(location);
        JdbiEventStore nodeB = DB.open(location);
        String channel = "eskit_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresNotifier notifierA = DB.track(PostgresNotifier.start(Databases.postgresUrl(), channel));
        PostgresNotifier notifierB = DB.track(PostgresNotifier.start(Databases.postgresUrl(), channel));
        CountDownLatch got = new CountDownLatch(3);
        Subscription subscription = DB.track(Subscription.builder("remote", nodeB, nodeB.checkpoints())
                .handler(event -> got.countDown())
                .notifier(notifierB)
                .pollInterval(Duration.ofHours(1))
                .build()
                .start());
        assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)));
        assertTrue(notifierB.awaitListening(Duration.ofSeconds(30)));
        EventStore writes = notifierA.notifying(nodeA);
        // The poll interval is an hour: only the NOTIFYs from node A can wake node B's subscription in time. On a busy
        // server a woken read may not see a commit yet (older transactions still run); the next append's NOTIFY
        // catches it up, so keep appending until three events have arrived.
        for (int i = 0; i < 600 && !got.await(50, TimeUnit.MILLISECONDS); i++) {
            writes.append(StreamRef.of("account", "x"), ExpectedVersion.any(), List.of(new Deposited("x", i)));
        }
        assertTrue(got.await(1, TimeUnit.SECONDS), "node B was not woken");
        assertTrue(notifierA.notificationsSent() >= 1);
    }
}
