package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Jdbi store wakes subscriptions in its own JVM as soon as an append commits. */
class JdbiEventStoreWakeUpTest {

    static void appendWakesASubscriptionOnTheSameStoreWithoutItsPoll(Databases db) throws Exception {
        JdbiEventStore store = db.newStore();
        CountDownLatch got = new CountDownLatch(1);
        Subscription subscription = db.track(Subscription.builder("local", store, store.checkpoints())
                .handler(event -> got.countDown())
                .pollInterval(Duration.ofHours(1))
                .build()
                .start());
        assertTrue(subscription.awaitCaughtUp(Duration.ofSeconds(30)));
        store.append(StreamRef.of("account", "a"), ExpectedVersion.any(), List.of(new Deposited("a", 1)));
        // The poll interval is an hour: only the store's own notification can deliver the event in time. (On
        // PostgreSQL the first read after the wake-up may still miss it while older transactions run; the next
        // append or poll fetches it, so this test appends again until it arrives.)
        for (int i = 0; i < 300 && !got.await(100, TimeUnit.MILLISECONDS); i++) {
            store.append(StreamRef.of("account", "a"), ExpectedVersion.any(), List.of(new Deposited("a", 1)));
        }
        assertTrue(got.await(1, TimeUnit.SECONDS));
    }

    @Nested
    class OnSqlite {
        @RegisterExtension
        static final Databases DB = Databases.sqlite();

        @Test
        void appendWakesASubscriptionOnTheSameStore() throws Exception {
            appendWakesASubscriptionOnTheSameStoreWithoutItsPoll(DB);
        }
    }

    @Nested
    class OnPostgres {
        @RegisterExtension
        static final Databases DB = Databases.postgres();

        @Test
        void appendWakesASubscriptionOnTheSameStore() throws Exception {
            appendWakesASubscriptionOnTheSameStoreWithoutItsPoll(DB);
        }
    }
}
