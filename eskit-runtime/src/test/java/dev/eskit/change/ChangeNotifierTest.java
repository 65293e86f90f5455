package dev.eskit.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChangeNotifierTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    static Change change(String readModel, long position, String... keys) {
        return Change.of(readModel, List.of(keys), Position.of(position));
    }

    static List<ChangeSignal> drain(ChangeSubscription subscription) {
        List<ChangeSignal> signals = new ArrayList<>();
        for (Optional<ChangeSignal> next = subscription.poll(); next.isPresent(); next = subscription.poll()) {
            signals.add(next.get());
        }
        return signals;
    }

    @Test
    void aKeySubscriberReceivesChangesOfItsKeyAndWholeModelChangesOnly() {
        ChangeNotifier notifier = ChangeNotifier.create();
        try (ChangeSubscription alice = notifier.subscribe(List.of(Topic.of("balances", "alice")));
             ChangeSubscription all = notifier.subscribe(List.of(Topic.parse("balances")))) {
            notifier.publish(change("balances", 1, "alice"));
            notifier.publish(change("balances", 2, "bob"));
            notifier.publish(change("orders", 3, "alice"));
            notifier.publish(Change.whole("balances", Position.of(4)));
            assertEquals(List.of(change("balances", 1, "alice"), Change.whole("balances", Position.of(4))),
                    drain(alice));
            assertEquals(3, drain(all).size());
        }
        assertEquals(0, notifier.subscribers());
    }

    @Test
    void pollWaitsForTheNextChangeAndCloseWakesIt() throws Exception {
        ChangeNotifier notifier = ChangeNotifier.create();
        ChangeSubscription subscription = notifier.subscribe(List.of(Topic.of("balances")));
        CountDownLatch firstDone = new CountDownLatch(1);
        List<Optional<ChangeSignal>> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                got.add(subscription.poll(WAIT));
                firstDone.countDown();
                got.add(subscription.poll(WAIT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long before = System.nanoTime();
        reader.start();
        notifier.publish(change("balances", 1, "a"));
        assertTrue(firstDone.await(10, TimeUnit.SECONDS));
        // The second poll waits; closing must end it long before its 10 s timeout.
        subscription.close();
        reader.join(WAIT.toMillis());
        assertFalse(reader.isAlive());
        assertEquals(List.of(Optional.of(change("balances", 1, "a")), Optional.empty()), got);
        assertTrue(Duration.ofNanos(System.nanoTime() - before).compareTo(WAIT) < 0);
    }

    @Test
    void aFullBufferIsReplacedByOneResyncAndLaterChangesFollowIt() {
        ChangeNotifier notifier = ChangeNotifier.create(3, 100);
        try (ChangeSubscription slow = notifier.subscribe(List.of(Topic.of("balances")))) {
            for (int i = 1; i <= 5; i++) {
                notifier.publish(change("balances", i, "k"));
            }
            // 1..3 fill the buffer; 4 overflows it (a resync at 4); 5 follows.
            List<ChangeSignal> signals = drain(slow);
            assertEquals(List.of(new Resync(Position.of(4), "overflow"), change("balances", 5, "k")), signals);
            assertEquals(1, slow.overflows());
        }
    }

    @Test
    void aResumingSubscriberGetsTheKeptChangesAfterItsPosition() {
        ChangeNotifier notifier = ChangeNotifier.create(10, 100);
        for (int i = 1; i <= 5; i++) {
            notifier.publish(change("balances", i, i % 2 == 0 ? "even" : "odd"));
        }
        try (ChangeSubscription resumed = notifier.subscribe(List.of(Topic.of("balances", "odd")), Position.of(2),
                10)) {
            notifier.publish(change("balances", 6, "odd"));
            assertEquals(List.of(change("balances", 3, "odd"), change("balances", 5, "odd"),
                    change("balances", 6, "odd")), drain(resumed));
        }
    }

    @Test
    void aResumeTheHistoryCannotCoverStartsWithAResync() {
        ChangeNotifier notifier = ChangeNotifier.create(10, 3);
        for (int i = 5; i <= 9; i++) {
            notifier.publish(change("balances", i, "k"));
        }
        // The history holds 7..9: a client at 6 can be served, one at 5 cannot (6 was evicted).
        try (ChangeSubscription fine = notifier.subscribe(List.of(Topic.of("balances")), Position.of(6), 10);
             ChangeSubscription tooOld = notifier.subscribe(List.of(Topic.of("balances")), Position.of(5), 10);
             ChangeSubscription unknownModel = notifier.subscribe(List.of(Topic.of("orders")), Position.of(5), 10);
             ChangeSubscription twoModels = notifier.subscribe(List.of(Topic.of("balances"), Topic.of("orders")),
                     Position.of(8), 10)) {
            assertEquals(3, drain(fine).size());
            assertEquals(List.of(new Resync(Position.of(9), "resume")), drain(tooOld));
            assertEquals(List.of(new Resync(Position.of(9), "resume")), drain(unknownModel));
            assertEquals(List.of(new Resync(Position.of(9), "resume")), drain(twoModels));
        }
    }

    @Test
    void aResumeAfterTheReadModelsLastChangeStartsWithAResync() {
        ChangeNotifier notifier = ChangeNotifier.create(10, 100);
        for (int i = 1; i <= 3; i++) {
            notifier.publish(change("balances", i, "k"));
        }
        notifier.publish(change("orders", 4, "o"));
        // 99 was never handed out here (a client of an earlier run); 4 is another read model's position.
        try (ChangeSubscription beyond = notifier.subscribe(List.of(Topic.of("balances", "k")), Position.of(99), 10);
             ChangeSubscription otherModels = notifier.subscribe(List.of(Topic.of("balances")), Position.of(4), 10);
             ChangeSubscription last = notifier.subscribe(List.of(Topic.of("balances")), Position.of(3), 10)) {
            assertEquals(List.of(new Resync(Position.of(4), "resume")), drain(beyond));
            assertEquals(List.of(new Resync(Position.of(4), "resume")), drain(otherModels));
            assertEquals(List.of(), drain(last));
            notifier.publish(change("balances", 5, "k"));
            assertEquals(List.of(change("balances", 5, "k")), drain(last));
        }
    }

    @Test
    void aResyncForgetsTheReadModelsHistory() {
        ChangeNotifier notifier = ChangeNotifier.create(10, 100);
        notifier.publish(change("balances", 1, "k"));
        try (ChangeSubscription live = notifier.subscribe(List.of(Topic.of("balances")))) {
            notifier.resync("balances", "rebuild");
            assertEquals(List.of(new Resync(Position.of(1), "rebuild")), drain(live));
        }
        try (ChangeSubscription resumed = notifier.subscribe(List.of(Topic.of("balances")), Position.of(1), 10)) {
            assertInstanceOf(Resync.class, drain(resumed).get(0));
        }
    }

    @Test
    void forwardersSeeLocalChangesButNotReceivedOnes() {
        ChangeNotifier notifier = ChangeNotifier.create();
        List<Change> forwarded = new ArrayList<>();
        try (ChangeNotifier.Registration registration = notifier.onPublish(forwarded::add);
             ChangeSubscription all = notifier.subscribe(List.of(Topic.of("balances")))) {
            notifier.publish(change("balances", 1, "local"));
            notifier.receive(change("balances", 2, "remote"));
            assertEquals(List.of(change("balances", 1, "local")), forwarded);
            assertEquals(2, drain(all).size());
        }
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        ChangeNotifier notifier = ChangeNotifier.create();
        assertTrue(assertThrows(InvalidInputException.class, () -> notifier.subscribe(List.of()))
                .getMessage().contains("at least one topic"));
        assertThrows(InvalidInputException.class, () -> notifier.subscribe(List.of(Topic.of("x")), null, 0));
        assertThrows(InvalidInputException.class, () -> ChangeNotifier.create(0, 10));
        assertThrows(InvalidInputException.class, () -> Topic.parse(":alice"));
        assertThrows(InvalidInputException.class, () -> Change.of("", Set.of(), Position.START));
        assertEquals(Topic.of("balances", "a:b"), Topic.parse("balances:a:b"));
    }
}
