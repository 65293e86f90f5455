package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Dead letters in the database: parked by a subscription, surviving a restart, replayed and deleted. */
abstract class DeadLetterStoreContract {

    abstract Databases db();

    @Test
    void poisonEventIsParkedDurablyAndReplayedByTheNextRun() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        dev.eskit.Position last = null;
        for (int i = 1; i <= 4; i++) {
            last = store.append(StreamRef.of("account", "a"), ExpectedVersion.any(), List.of(new Deposited("a", i)))
                    .lastPosition();
        }
        dev.eskit.Position lastAppended = last;
        DeadLetterStore letters = JdbiDeadLetterStore.create(Jdbi.create(location.dataSource()), store);
        AtomicBoolean broken = new AtomicBoolean(true);
        Subscription.Builder builder = Subscription.builder("parked", store, store.checkpoints())
                .deadLetters(letters)
                .retry(Backoff.noRetry())
                .handler(event -> {
                    if (broken.get() && ((Deposited) event.data()).cents() == 3) {
                        throw new IllegalStateException("three is bad");
                    }
                });
        try (Subscription first = builder.build().start()) {
            assertTrue(first.awaitPosition(lastAppended, Duration.ofSeconds(30)));
        }
        List<DeadLetter> parked = letters.list("parked", 10);
        assertEquals(1, parked.size());
        DeadLetter letter = parked.get(0);
        assertEquals(3, letter.version());
        assertEquals("test.Deposited", letter.eventType());
        assertEquals("java.lang.IllegalStateException: three is bad", letter.error());
        assertEquals(letter, letters.find(letter.id()).orElseThrow());

        broken.set(false);
        Subscription second = builder.build();
        assertTrue(second.replayDeadLetter(letter.id()));
        assertEquals(0, letters.count("parked"));
        assertFalse(letters.delete(letter.id()));
        letters.put(letter);
        assertEquals(1, letters.deleteAll("parked"));
    }
}
