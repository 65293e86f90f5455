package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.jdbi.postgres.PostgresNotifier;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events appended by another JVM reach a subscription: by NOTIFY on PostgreSQL, by polling on SQLite. */
class CrossProcessWakeUpTest {

    static final int EVENTS = 20;

    static List<String> writerArgs(String mode, String channel, Databases.Location location) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(EVENTS), mode, channel));
        args.addAll(location.childArguments());
        return args;
    }

    @Nested
    class OnPostgres {
        @RegisterExtension
        static final Databases DB = Databases.postgres();

        @Test
        void appendsInAnotherJvmWakeASubscriptionThroughNotifyWithoutItsPoll() throws Exception {
            awaitWakeUps("notify");
        }

        @Test
        void dcbAppendsInAnotherJvmWakeASubscriptionThroughNotifyWithoutItsPoll() throws Exception {
            awaitWakeUps("notify-dcb");
        }

        @Test
        void importsInAnotherJvmWakeASubscriptionThroughNotifyWithoutItsPoll() throws Exception {
            awaitWakeUps("notify-import");
        }

        private void awaitWakeUps(String mode) throws Exception {
            Databases.Location location = DB.newLocation();
            JdbiEventStore store = DB.open(location);
            String channel = "eskit_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            PostgresNotifier notifier = DB.track(PostgresNotifier.start(Databases.postgresUrl(), channel));
            CountDownLatch all = new CountDownLatch(EVENTS);
            Subscription subscription = DB.track(Subscription.builder("remote", store, store.checkpoints())
                    .handler(event -> all.countDown())
                    .notifier(notifier)
                    .pollInterval(Duration.ofHours(1))
                    .build()
                    .start());
            assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(notifier.awaitListening(Duration.ofSeconds(30)));
            try (ChildJvm writer = ChildJvm.start(NotifyingWriterMain.class, writerArgs(mode, channel, location))) {
                // The poll interval is an hour: only the other JVM's NOTIFYs can deliver these in time.
                assertTrue(all.await(60, TimeUnit.SECONDS), mode + ": missing " + all.getCount() + " events");
            }
        }
    }

    @Nested
    class OnSqlite {
        @RegisterExtension
        static final Databases DB = Databases.sqlite();

        @Test
        void appendsInAnotherProcessArePickedUpByPolling() throws Exception {
            Databases.Location location = DB.newLocation();
            JdbiEventStore store = DB.open(location);
            CountDownLatch all = new CountDownLatch(EVENTS);
            Subscription subscription = DB.track(Subscription.builder("remote", store, store.checkpoints())
                    .handler(event -> all.countDown())
                    .pollInterval(Duration.ofMillis(20))
                    .build()
                    .start());
            assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)));
            try (ChildJvm writer = ChildJvm.start(NotifyingWriterMain.class, writerArgs("plain", "-", location))) {
                assertTrue(all.await(60, TimeUnit.SECONDS), "missing " + all.getCount() + " events");
            }
        }
    }
}
