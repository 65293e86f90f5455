package dev.eskit.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    record Happened(String id, int n) {
    }

    record Other(String id) {
    }

    /** Thrown by a handler to simulate a process crash: the subscription stops without saving. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LONG = Duration.ofHours(1);
    static final Backoff FAST = Backoff.exponential(3, Duration.ofMillis(1), Duration.ofMillis(4));

    final EventStore store = EventStore.inMemory(EventTypes.builder()
            .add("test.Happened", Happened.class)
            .add("test.Other", Other.class)
            .build());
    final RecordingCheckpoints checkpoints = new RecordingCheckpoints();
    final List<Subscription> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(s -> s.stop(WAIT));
    }

    Subscription start(Subscription.Builder builder) {
        Subscription subscription = builder.build();
        started.add(subscription);
        return subscription.start();
    }

    Subscription.Builder builder(EventHandler handler) {
        return Subscription.builder("sub", store, checkpoints).handler(handler).retry(FAST)
                .onPoison(PoisonPolicy.DEAD_LETTER);
    }

    List<AppendResult> appendHappened(String stream, int count) {
        List<AppendResult> results = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            results.add(store.append(StreamRef.of("thing", stream), ExpectedVersion.any(),
                    List.of(new Happened(stream, i))));
        }
        return results;
    }

    static int n(StoredEvent<Object> event) {
        return ((Happened) event.data()).n();
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS), "timed out waiting");
    }

    @Test
    void awaitPositionWaitsForASubscriptionThatIsStartedLater() throws Exception {
        Position target = appendHappened("late", 3).get(2).lastPosition();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = builder(e -> seen.add(n(e))).build();
        started.add(s);
        CountDownLatch waiting = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Boolean> reached = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    waiting.countDown();
                    return s.awaitPosition(target, WAIT);
                });
        await(waiting);
        // Started after the caller began to wait, as a LeaderSupervisor starts a role once it leads.
        s.start();
        assertTrue(reached.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3), seen);
    }

    @Test
    void awaitPositionOnASubscriptionNotStartedYetWaitsUntilItsDeadline() {
        Position target = appendHappened("new", 1).get(0).lastPosition();
        Subscription s = builder(e -> { }).build();
        Duration timeout = Duration.ofMillis(200);
        long began = System.nanoTime();
        assertFalse(s.awaitPosition(target, timeout));
        assertTrue(System.nanoTime() - began >= timeout.toNanos(),
                "a subscription that is not started yet (not stopped) is waited for until the deadline");
    }

    @Test
    void awaitPositionGivesUpOnAStoppedSubscription() {
        Subscription s = start(builder(e -> { }));
        assertTrue(s.awaitCaughtUp(WAIT));
        s.stop(WAIT);
        Position target = appendHappened("after-stop", 1).get(0).lastPosition();
        long started = System.nanoTime();
        assertFalse(s.awaitPosition(target, WAIT));
        assertTrue(System.nanoTime() - started < WAIT.toNanos(), "a stopped subscription is not waited for");
    }

    // ------------------------------------------------------------------ ordering and filtering

    @Test
    void handsEveryEventOverOnceInGlobalLogOrder() {
        for (int i = 0; i < 100; i++) {
            appendHappened("a" + (i % 7), 1);
        }
        List<Position> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> seen.add(e.position())).batchSize(9));
        assertTrue(s.awaitCaughtUp(WAIT));
        List<Position> log = store.readAll(Position.START, 1000).stream().map(StoredEvent::position).toList();
        assertEquals(log, seen);
        assertEquals(SubscriptionState.LIVE, s.state());
    }

    @Test
    void eventTypeFilterIsPushedDownIntoTheStoreRead() {
        List<Set<String>> filters = new CopyOnWriteArrayList<>();
        EventStore spy = new DelegatingStore(store) {
            @Override
            public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
                filters.add(eventTypes);
                return super.readAll(after, limit, eventTypes);
            }
        };
        store.append(StreamRef.of("thing", "x"), ExpectedVersion.any(),
                List.of(new Other("x"), new Happened("x", 1), new Other("x"), new Happened("x", 2)));
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(Subscription.builder("filtered", spy, checkpoints)
                .eventTypes("test.Happened").handler(e -> seen.add(n(e))));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2), seen);
        assertTrue(filters.stream().allMatch(Set.of("test.Happened")::equals), filters.toString());
    }

    @Test
    void concurrentWritersWhileRunningEveryEventIsHandledInOrder() throws Exception {
        int writers = 8;
        int perWriter = 250;
        List<StoredEvent<Object>> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription s = start(builder(seen::add).batchSize(17).checkpointEvery(13));
        CyclicBarrier go = new CyclicBarrier(writers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String stream = "w" + w;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                appendHappened(stream, perWriter);
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
            assertFalse(thread.isAlive());
        }
        Position last = store.readAll(Position.of(writers * perWriter - 1), 1).get(0).position();
        assertTrue(s.awaitPosition(last, WAIT));
        s.stop();
        List<Long> sequences = seen.stream().map(StoredEvent::globalPosition).toList();
        assertEquals(LongStream.rangeClosed(1, (long) writers * perWriter).boxed().toList(), sequences);
        Map<String, List<Integer>> perStream = new HashMap<>();
        for (StoredEvent<Object> event : seen) {
            perStream.computeIfAbsent(event.streamId(), k -> new ArrayList<>()).add(n(event));
        }
        for (List<Integer> ns : perStream.values()) {
            assertEquals(java.util.stream.IntStream.rangeClosed(1, perWriter).boxed().toList(), ns);
        }
        assertEquals(Optional.of(last), checkpoints.load("sub"));
    }

    // ------------------------------------------------------------------ checkpoints and at-least-once

    @Test
    void savesTheCheckpointEveryNEventsAndOnStop() {
        appendHappened("a", 25);
        Subscription s = start(builder(e -> { }).checkpointEvery(10).checkpointInterval(LONG).batchSize(100));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(10L, 20L), checkpoints.savedSequences());
        s.stop();
        assertEquals(List.of(10L, 20L, 25L), checkpoints.savedSequences());
        assertEquals(SubscriptionState.STOPPED, s.state());
        assertEquals(Optional.of(Position.of(25)), s.checkpoint());
    }

    @Test
    void savesUnsavedProgressWhenTheCheckpointIntervalPasses() throws Exception {
        appendHappened("a", 3);
        checkpoints.expect(Position.of(3));
        Subscription s = start(builder(e -> { }).checkpointEvery(1000).checkpointInterval(Duration.ofMillis(20))
                .pollInterval(LONG));
        assertTrue(s.awaitCaughtUp(WAIT));
        // Caught up and idle (the poll interval is an hour): only the interval can trigger this save.
        await(checkpoints.reached);
        assertEquals(Optional.of(Position.of(3)), checkpoints.load("sub"));
    }

    @Test
    void resumesAfterTheSavedCheckpoint() {
        appendHappened("a", 5);
        List<Integer> first = new CopyOnWriteArrayList<>();
        Subscription s1 = start(builder(e -> first.add(n(e))));
        assertTrue(s1.awaitCaughtUp(WAIT));
        s1.stop();
        appendHappened("b", 2);
        List<Integer> second = new CopyOnWriteArrayList<>();
        Subscription s2 = start(builder(e -> second.add(n(e))));
        assertTrue(s2.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2, 3, 4, 5), first);
        assertEquals(List.of(1, 2), second);
    }

    @Test
    void crashBeforeCheckpointRedeliversEverythingAfterTheLastSavedCheckpoint() {
        appendHappened("a", 30);
        List<Integer> first = new CopyOnWriteArrayList<>();
        Subscription s1 = start(builder(e -> {
            if (n(e) == 15) {
                throw new Crash();
            }
            first.add(n(e));
        }).checkpointEvery(10).checkpointInterval(LONG));
        SubscriptionException failed = assertThrows(SubscriptionException.class, () -> s1.awaitCaughtUp(WAIT));
        assertInstanceOf(Crash.class, failed.getCause());
        assertTrue(s1.stop(WAIT));
        assertEquals(SubscriptionState.FAILED, s1.state());
        assertInstanceOf(Crash.class, s1.failure().orElseThrow());
        assertTrue(s1.caughtUp().isCompletedExceptionally());
        // Events 11-14 were handled, but the crash came before the next checkpoint: only event 10 is saved.
        assertEquals(List.of(10L), checkpoints.savedSequences());

        List<Integer> second = new CopyOnWriteArrayList<>();
        Subscription s2 = start(builder(e -> second.add(n(e))));
        assertTrue(s2.awaitCaughtUp(WAIT));
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 14).boxed().toList(), first);
        assertEquals(java.util.stream.IntStream.rangeClosed(11, 30).boxed().toList(), second);
    }

    /** Found by an outside trial: "wait for ever" overflowed, absurd intervals and null or blank names slipped by. */
    @Test
    void waitingForEverWorksAndAbsurdSettingsAreRefusedWithTheirNames() {
        Subscription s = start(builder(e -> { }));
        appendHappened("a", 2);
        Duration forEver = Duration.ofSeconds(Long.MAX_VALUE);
        assertTrue(s.awaitCaughtUp(forEver));
        assertTrue(s.awaitPosition(store.latestPosition(), forEver));
        assertTrue(s.stop(forEver));
        assertFalse(s.isRunning());

        InvalidInputException poll = assertThrows(InvalidInputException.class,
                () -> builder(e -> { }).pollInterval(Duration.ofDays(365_000)));
        assertEquals("pollInterval PT8760000H is longer than 365 days. Use a positive duration of at most that.",
                poll.getMessage());
        assertThrows(InvalidInputException.class, () -> builder(e -> { }).checkpointInterval(Duration.ofDays(366)));
        builder(e -> { }).pollInterval(Duration.ofDays(365)).checkpointInterval(Duration.ofDays(365));
        NullPointerException types = assertThrows(NullPointerException.class,
                () -> builder(e -> { }).eventTypes((String[]) null));
        assertTrue(types.getMessage().startsWith("eventTypes"), types.getMessage());
        assertThrows(NullPointerException.class, () -> builder(e -> { }).eventTypes((java.util.Collection<String>) null));
        InvalidInputException nullType = assertThrows(InvalidInputException.class,
                () -> builder(e -> { }).eventTypes("test.Happened", null));
        assertTrue(nullType.getMessage().startsWith("Event type null is empty"), nullType.getMessage());
        for (String blank : List.of("  ", " sub", "sub\t")) {
            InvalidInputException name = assertThrows(InvalidInputException.class,
                    () -> Subscription.builder(blank, store, checkpoints));
            assertTrue(name.getMessage().contains("blanks"), name.getMessage());
        }
        dev.eskit.InvalidReadLimitException lag = assertThrows(dev.eskit.InvalidReadLimitException.class,
                () -> s.lag(0));
        assertTrue(lag.getMessage().startsWith("Lag cap 0 of subscription \"sub\" must be at least 1"),
                lag.getMessage());
        assertEquals(0, s.lag(1).events());
    }

    // ------------------------------------------------------------------ retries and dead letters

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheCap() {
        Backoff backoff = Backoff.exponential(10, Duration.ofMillis(10), Duration.ofMillis(50));
        assertEquals(Duration.ofMillis(10), backoff.delayAfter(1));
        assertEquals(Duration.ofMillis(20), backoff.delayAfter(2));
        assertEquals(Duration.ofMillis(40), backoff.delayAfter(3));
        assertEquals(Duration.ofMillis(50), backoff.delayAfter(4));
        assertEquals(Duration.ofMillis(50), backoff.delayAfter(80));
        assertThrows(InvalidInputException.class, () -> Backoff.exponential(0, Duration.ZERO, Duration.ZERO));
        assertThrows(InvalidInputException.class,
                () -> Backoff.exponential(2, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void transientHandlerFailureIsRetriedAndNothingIsDeadLettered() {
        appendHappened("a", 3);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> {
            if (n(e) == 2 && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("flaky");
            }
            seen.add(n(e));
        }));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2, 3), seen);
        assertEquals(List.of(), s.deadLetters());
        assertEquals("flaky", s.lastError().orElseThrow().getMessage());
    }

    @Test
    void poisonEventIsRetriedThenDeadLetteredAndTheRestAreHandled() {
        List<AppendResult> appended = appendHappened("a", 5);
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> {
            if (n(e) == 2) {
                poisonAttempts.incrementAndGet();
                throw new IllegalArgumentException("cannot handle 2");
            }
            seen.add(n(e));
        }));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 3, 4, 5), seen);
        assertEquals(3, poisonAttempts.get());
        List<DeadLetter> letters = s.deadLetters();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0);
        StoredEvent<Object> poison = appended.get(1).events().get(0);
        assertEquals(poison.id(), letter.eventId());
        assertEquals(poison.position(), letter.position());
        assertEquals("sub", letter.subscription());
        assertEquals(3, letter.attempts());
        assertEquals("java.lang.IllegalArgumentException: cannot handle 2", letter.error());
        assertEquals(Position.of(5), s.position());
    }

    @Test
    void replayedDeadLetterIsHandledAgainAndDeletedOnSuccess() {
        appendHappened("a", 3);
        AtomicBoolean broken = new AtomicBoolean(true);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> {
            if (n(e) == 2 && broken.get()) {
                throw new IllegalStateException("still broken");
            }
            seen.add(n(e));
        }));
        assertTrue(s.awaitCaughtUp(WAIT));
        DeadLetter letter = s.deadLetters().get(0);

        assertFalse(s.replayDeadLetter(letter.id()));
        DeadLetter again = s.deadLetters().get(0);
        assertEquals(letter.id(), again.id());
        assertEquals(4, again.attempts());

        broken.set(false);
        assertTrue(s.replayDeadLetter(letter.id()));
        assertEquals(List.of(1, 3, 2), seen);
        assertEquals(List.of(), s.deadLetters());
        SubscriptionException unknown = assertThrows(SubscriptionException.class,
                () -> s.replayDeadLetter(letter.id()));
        assertTrue(unknown.getMessage().contains("has no dead letter"), unknown.getMessage());
    }

    @Test
    void replayAllAndDeleteWorkOnlyOnTheSubscriptionsOwnDeadLetters() {
        appendHappened("a", 4);
        DeadLetterStore shared = DeadLetterStore.inMemory();
        AtomicBoolean broken = new AtomicBoolean(true);
        Subscription s = start(builder(e -> {
            if (n(e) % 2 == 0 && broken.get()) {
                throw new IllegalStateException("even");
            }
        }).deadLetters(shared).retry(Backoff.noRetry()));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(2, shared.count("sub"));
        Subscription other = Subscription.builder("other", store, checkpoints).handler(e -> { })
                .deadLetters(shared).build();
        UUID first = s.deadLetters().get(0).id();
        assertFalse(other.deleteDeadLetter(first));
        assertThrows(SubscriptionException.class, () -> other.replayDeadLetter(first));
        assertTrue(s.deleteDeadLetter(first));
        broken.set(false);
        assertEquals(1, s.replayDeadLetters());
        assertEquals(0, shared.count("sub"));
    }

    @Test
    void handlerErrorStopsTheSubscriptionAsFailedWithoutSkippingTheEvent() {
        appendHappened("a", 3);
        Subscription s = start(builder(e -> {
            if (n(e) == 2) {
                throw new Crash();
            }
        }).checkpointEvery(1));
        assertThrows(SubscriptionException.class, () -> s.awaitCaughtUp(WAIT));
        assertTrue(s.stop(WAIT));
        assertEquals(SubscriptionState.FAILED, s.state());
        assertEquals(Optional.of(Position.of(1)), checkpoints.load("sub"));
        assertEquals(List.of(), s.deadLetters());
    }

    @Test
    void storeFailuresAreRetriedUntilTheReadSucceeds() {
        appendHappened("a", 2);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        EventStore flaky = new DelegatingStore(store) {
            @Override
            public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("database unavailable");
                }
                return super.readAll(after, limit, eventTypes);
            }
        };
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(Subscription.builder("sub", flaky, checkpoints).handler(e -> seen.add(n(e)))
                .retry(FAST));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2), seen);
        assertEquals("database unavailable", s.lastError().orElseThrow().getMessage());
    }

    // ------------------------------------------------------------------ caught up, wake-ups, lag

    @Test
    void caughtUpCompletesOnlyAfterTheBacklogIsHandled() throws Exception {
        appendHappened("a", 5);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Subscription s = start(builder(e -> {
            if (n(e) == 3) {
                entered.countDown();
                release.await();
            }
        }).batchSize(2));
        await(entered);
        assertFalse(s.caughtUp().isDone());
        assertEquals(SubscriptionState.CATCHING_UP, s.state());
        release.countDown();
        s.caughtUp().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(SubscriptionState.LIVE, s.state());
        assertEquals(Position.of(5), s.position());
    }

    @Test
    void appendWakesALiveSubscriptionWithoutWaitingForThePoll() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        Subscription s = start(builder(e -> got.countDown()).pollInterval(LONG));
        assertTrue(s.awaitCaughtUp(WAIT));
        appendHappened("a", 1);
        // The poll interval is an hour: only the store's append notification can deliver the event in time.
        await(got);
    }

    @Test
    void storeWithoutNotificationsIsPolled() throws Exception {
        EventStore silent = new DelegatingStore(store);
        assertFalse(silent instanceof AppendNotifier);
        CountDownLatch got = new CountDownLatch(1);
        Subscription s = start(Subscription.builder("sub", silent, checkpoints).handler(e -> got.countDown())
                .pollInterval(Duration.ofMillis(5)));
        assertTrue(s.awaitCaughtUp(WAIT));
        appendHappened("a", 1);
        await(got);
    }

    @Test
    void awaitPositionReturnsOnceAFilteredOutEventIsPassed() {
        Subscription s = start(builder(e -> { }).eventTypes("test.Happened").pollInterval(LONG));
        assertTrue(s.awaitCaughtUp(WAIT));
        Position other = store.append(StreamRef.of("thing", "o"), ExpectedVersion.any(), List.of(new Other("o")))
                .lastPosition();
        assertTrue(s.awaitPosition(other, WAIT));
        Position happened = appendHappened("a", 1).get(0).lastPosition();
        assertTrue(s.awaitPosition(happened, WAIT));
        assertEquals(happened, s.position());
    }

    @Test
    void awaitPositionDoesNotReturnBeforeTheTargetIsReadable() {
        // Like PostgreSQL's horizon: the store hides events above visibleUpTo, even from a read after the append.
        java.util.concurrent.atomic.AtomicLong visibleUpTo = new java.util.concurrent.atomic.AtomicLong(1);
        EventStore hiding = new DelegatingStore(store) {
            @Override
            public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
                return super.readAll(after, limit, eventTypes).stream()
                        .filter(e -> e.globalPosition() <= visibleUpTo.get()).toList();
            }
        };
        appendHappened("a", 1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(Subscription.builder("sub", hiding, checkpoints).handler(e -> seen.add(n(e)))
                .pollInterval(Duration.ofMillis(5)));
        assertTrue(s.awaitCaughtUp(WAIT));
        Position hidden = appendHappened("b", 1).get(0).lastPosition();
        // Caught up with what is readable, but the target is not readable yet: no early "true".
        assertFalse(s.awaitPosition(hidden, Duration.ofMillis(100)));
        visibleUpTo.set(2);
        assertTrue(s.awaitPosition(hidden, WAIT));
        assertEquals(List.of(1, 1), seen);
    }

    @Test
    void lagCountsUnhandledEventsOfItsTypes() {
        appendHappened("a", 7);
        store.append(StreamRef.of("thing", "o"), ExpectedVersion.any(), List.of(new Other("o")));
        Subscription s = builder(e -> { }).eventTypes("test.Happened").build();
        SubscriptionLag before = s.lag();
        assertEquals(7, before.events());
        assertFalse(before.atLeast());
        assertFalse(before.isCaughtUp());
        assertTrue(s.lag(5).atLeast());
        started.add(s);
        s.start();
        assertTrue(s.awaitCaughtUp(WAIT));
        SubscriptionLag after = s.lag();
        assertTrue(after.isCaughtUp());
        assertEquals(Duration.ZERO, after.oldestAge());
    }

    // ------------------------------------------------------------------ stopping

    @Test
    void gracefulStopFinishesTheCurrentEventAndSavesItsCheckpoint() throws Exception {
        appendHappened("a", 6);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> {
            if (n(e) == 3) {
                entered.countDown();
                release.await();
            }
            seen.add(n(e));
        }).checkpointEvery(1000).checkpointInterval(LONG));
        await(entered);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            s.stop();
            stopped.countDown();
        });
        stopper.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (s.state() != SubscriptionState.STOPPING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(SubscriptionState.STOPPING, s.state());
        assertTrue(s.isRunning());
        assertEquals(1, stopped.getCount());
        release.countDown();
        await(stopped);
        assertFalse(s.isRunning());
        assertEquals(SubscriptionState.STOPPED, s.state());
        assertEquals(List.of(1, 2, 3), seen);
        assertEquals(List.of(3L), checkpoints.savedSequences());
    }

    @Test
    void stopDuringABackoffLeavesTheEventForTheNextRun() throws Exception {
        appendHappened("a", 2);
        CountDownLatch failed = new CountDownLatch(1);
        Subscription s = start(builder(e -> {
            if (n(e) == 2) {
                failed.countDown();
                throw new IllegalStateException("down");
            }
        }).retry(Backoff.exponential(5, LONG, LONG)).checkpointEvery(1));
        await(failed);
        assertTrue(s.stop(WAIT));
        assertEquals(List.of(), s.deadLetters());
        assertEquals(Optional.of(Position.of(1)), checkpoints.load("sub"));
    }

    @Test
    void stopFromTheHandlerStopsAfterTheEvent() {
        appendHappened("a", 4);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription[] self = new Subscription[1];
        self[0] = builder(e -> {
            seen.add(n(e));
            if (n(e) == 2) {
                assertFalse(self[0].stop(WAIT));
            }
        }).build();
        started.add(self[0]);
        self[0].start();
        assertFalse(self[0].awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2), seen);
        assertEquals(SubscriptionState.STOPPED, self[0].state());
        assertEquals(Optional.of(Position.of(2)), checkpoints.load("sub"));
    }

    @Test
    void stoppedSubscriptionCanBeStartedAgainButNotTwice() {
        appendHappened("a", 2);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> seen.add(n(e))));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertThrows(SubscriptionException.class, s::start);
        s.stop();
        appendHappened("b", 1);
        s.start();
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2, 1), seen);
    }

    // ------------------------------------------------------------------ guard (leadership)

    @Test
    void guardThatStopsHoldingStopsTheSubscriptionWithoutSavingAnotherCheckpoint() throws Exception {
        appendHappened("a", 5);
        AtomicBoolean holds = new AtomicBoolean(true);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> {
            if (n(e) == 3) {
                entered.countDown();
                release.await();
            }
            seen.add(n(e));
        }).checkpointEvery(1).guard(holds::get));
        await(entered);
        holds.set(false);
        release.countDown();
        assertFalse(s.awaitCaughtUp(WAIT));
        assertEquals(SubscriptionState.STOPPED, s.state());
        assertEquals(List.of(1, 2, 3), seen);
        // Event 3 was handled after the guard was lost: its checkpoint is not saved, the next leader redoes it.
        assertEquals(List.of(1L, 2L), checkpoints.savedSequences());
        assertTrue(s.lastError().orElseThrow().getMessage().contains("guard"));
    }

    @Test
    void guardThatNeverHoldsReadsNothing() {
        appendHappened("a", 2);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(builder(e -> seen.add(n(e))).guard(() -> false));
        assertFalse(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(), seen);
        assertEquals(List.of(), checkpoints.savedSequences());
    }

    // ------------------------------------------------------------------ rebuild and validation

    @Test
    void rebuildDeletesCheckpointAndDeadLettersCallsResetAndReadsFromTheStart() {
        appendHappened("a", 3);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        AtomicInteger resets = new AtomicInteger();
        AtomicBoolean broken = new AtomicBoolean(true);
        Subscription s = start(builder(e -> {
            if (n(e) == 3 && broken.get()) {
                throw new IllegalStateException("bad");
            }
            seen.add(n(e));
        }).onReset(() -> {
            seen.clear();
            resets.incrementAndGet();
        }));
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(1, s.deadLetters().size());
        broken.set(false);
        s.rebuild();
        assertEquals(1, resets.get());
        assertTrue(s.isRunning());
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(List.of(1, 2, 3), seen);
        assertEquals(List.of(), s.deadLetters());
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(InvalidInputException.class,
                () -> Subscription.builder("no-handler", store, checkpoints).build());
        assertThrows(InvalidInputException.class,
                () -> Subscription.builder("", store, checkpoints));
        assertThrows(InvalidInputException.class,
                () -> Subscription.builder("x", store, checkpoints).batchSize(0));
        assertThrows(InvalidInputException.class,
                () -> Subscription.builder("x", store, checkpoints).checkpointEvery(0));
        assertThrows(InvalidInputException.class,
                () -> Subscription.builder("x", store, checkpoints).pollInterval(Duration.ZERO));
        assertThrows(InvalidInputException.class,
                () -> Subscription.builder("x", store, checkpoints).eventTypes("a\0b"));
    }

    // ------------------------------------------------------------------ helpers

    /** A checkpoint store that records every save and can count them down. */
    static final class RecordingCheckpoints implements CheckpointStore {
        final CheckpointStore delegate = CheckpointStore.inMemory();
        final List<Position> saves = new CopyOnWriteArrayList<>();
        volatile Position expected = Position.START;
        final CountDownLatch reached = new CountDownLatch(1);

        void expect(Position position) {
            expected = position;
        }

        List<Long> savedSequences() {
            return saves.stream().map(Position::sequence).collect(Collectors.toList());
        }

        @Override
        public Optional<Position> load(String name) {
            return delegate.load(name);
        }

        @Override
        public void save(String name, Position position) {
            delegate.save(name, position);
            saves.add(position);
            if (position.compareTo(expected) >= 0) {
                reached.countDown();
            }
        }

        @Override
        public void delete(String name) {
            delegate.delete(name);
        }
    }

    /** Forwards to another store; not an {@link AppendNotifier}, so subscriptions on it poll. */
    static class DelegatingStore implements EventStore {
        private final EventStore delegate;

        DelegatingStore(EventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public AppendResult append(AppendRequest request) {
            return delegate.append(request);
        }

        @Override
        public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
            return delegate.load(stream, fromVersion);
        }

        @Override
        public long streamVersion(StreamRef stream) {
            return delegate.streamVersion(stream);
        }

        @Override
        public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
            return delegate.readAll(after, limit, eventTypes);
        }
    }
}
