package dev.eskit.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.Retry;
import dev.eskit.StoredEventHeader;
import dev.eskit.StreamRef;
import dev.eskit.internal.WorkerLoop;
import dev.eskit.subscription.ErrorPolicy.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    static final Retry THREE = Retry.exponential(3, Duration.ZERO, Duration.ZERO);

    final Status status = new Status("sub");
    final WorkerLoop loop = new WorkerLoop();
    final AtomicBoolean holds = new AtomicBoolean(true);
    final Fence fence = new Fence("sub", holds::get, status, loop);
    final DeadLetterStore deadLetters = DeadLetterStore.inMemory();
    final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    final AtomicInteger attempts = new AtomicInteger();
    final StoredEventHeader event = header();

    static StoredEventHeader header() {
        return new StoredEventHeader(UUID.randomUUID(), StreamRef.of("thing", "t-1"), 4, "test.Happened", 1,
                Position.of(12), Instant.parse("2026-01-01T00:00:00Z"));
    }

    ErrorPolicy policy(Retry retry, PoisonPolicy poison) {
        return new ErrorPolicy("sub", retry, poison, deadLetters, clock, status, loop, fence);
    }

    ErrorPolicy.Attempt failing(int times) {
        return () -> {
            if (attempts.incrementAndGet() <= times) {
                throw new IllegalStateException("failure " + attempts.get());
            }
        };
    }

    @Test
    void aHandlerThatSucceedsIsCalledOnce() {
        assertEquals(Outcome.HANDLED, policy(THREE, PoisonPolicy.HALT).handle(event, failing(0), true));
        assertEquals(1, attempts.get());
        assertTrue(status.lastError() == null);
    }

    @Test
    void failuresAreRetriedUpToTheLastAttemptWithoutADeadLetter() {
        assertEquals(Outcome.HANDLED, policy(THREE, PoisonPolicy.DEAD_LETTER).handle(event, failing(2), true));
        assertEquals(3, attempts.get());
        assertEquals("failure 2", status.lastError().getMessage());
        assertEquals(0, deadLetters.count("sub"));
    }

    @Test
    void afterTheLastAttemptThePoisonEventIsDeadLetteredWithItsAttemptsAndError() {
        assertEquals(Outcome.PARKED, policy(THREE, PoisonPolicy.DEAD_LETTER).handle(event, failing(99), true));
        assertEquals(3, attempts.get(), "exactly maxAttempts attempts");
        DeadLetter letter = deadLetters.list("sub", 10).get(0);
        assertEquals(1, deadLetters.count("sub"));
        assertEquals(event.id(), letter.eventId());
        assertEquals(Position.of(12), letter.position());
        assertEquals(3, letter.attempts());
        assertEquals("java.lang.IllegalStateException: failure 3", letter.error());
        assertEquals(clock.instant(), letter.firstFailedAt());
        assertFalse(loop.stopRequested());
        assertTrue(status.failure() == null);
    }

    @Test
    void oneAttemptMeansAPoisonEventAtTheFirstFailure() {
        assertEquals(Outcome.PARKED, policy(Retry.none().withJitter(false), PoisonPolicy.DEAD_LETTER)
                .handle(event, failing(99), true));
        assertEquals(1, attempts.get());
    }

    @Test
    void haltStopsTheSubscriptionNamingThePoisonEventAndParksNothing() {
        assertEquals(Outcome.STOPPED, policy(THREE, PoisonPolicy.HALT).handle(event, failing(99), true));
        assertEquals(3, attempts.get());
        SubscriptionHaltedException halted = assertInstanceOf(SubscriptionHaltedException.class, status.failure());
        assertTrue(halted.getMessage().contains("sub"), halted.getMessage());
        assertTrue(loop.stopRequested());
        assertTrue(status.caughtUp().isCompletedExceptionally());
        assertEquals(0, deadLetters.count("sub"));
    }

    @Test
    void aStopDuringTheBackoffLeavesTheEventForTheNextRun() {
        ErrorPolicy policy = policy(Retry.exponential(5, Duration.ofHours(1), Duration.ofHours(1)),
                PoisonPolicy.DEAD_LETTER);
        Outcome outcome = policy.handle(event, () -> {
            attempts.incrementAndGet();
            loop.requestStop();
            throw new IllegalStateException("down");
        }, true);
        assertEquals(Outcome.STOPPED, outcome);
        assertEquals(1, attempts.get(), "no retry after the stop");
        assertEquals(0, deadLetters.count("sub"));
        assertTrue(status.failure() == null);
    }

    @Test
    void aLostGuardStopsBeforeTheHandlerIsCalled() {
        holds.set(false);
        assertEquals(Outcome.STOPPED, policy(THREE, PoisonPolicy.DEAD_LETTER).handle(event, failing(0), true));
        assertEquals(0, attempts.get());
        assertTrue(fence.isFenced());
        assertTrue(loop.stopRequested());
        assertTrue(status.lastError().getMessage().contains("guard"), status.lastError().getMessage());
    }

    @Test
    void withoutAskingFirstAGuardLostInsideTheAttemptStopsWithoutPoisoning() {
        // As in a transaction: the guard is asked inside the attempt, which rolls back by throwing.
        Outcome outcome = policy(THREE, PoisonPolicy.HALT).handle(event, () -> {
            attempts.incrementAndGet();
            holds.set(false);
            fence.checkInTransaction();
        }, false);
        assertEquals(Outcome.STOPPED, outcome);
        assertEquals(1, attempts.get());
        assertTrue(status.failure() == null, "fenced is not halted");
        assertTrue(status.lastError().getMessage().contains("guard"), "the guard's reason, not the rollback's");
    }

    @Test
    void theLogShowsTheFailureThroughItsLogViewSoAStoreCanRedactIt() {
        ErrorPolicy redacting = new ErrorPolicy("sub", THREE, PoisonPolicy.HALT, deadLetters, clock, status, loop,
                fence, letter -> letter.failedAgain(new IllegalStateException("[redacted]"), letter.lastFailedAt()));
        DeadLetter letter = DeadLetter.of(UUID.randomUUID(), "sub", event, 1,
                new IllegalStateException("card 4111-1111"), clock.instant());
        assertEquals("java.lang.IllegalStateException: [redacted]", redacting.loggedError(letter));
        String line = redacting.haltedLogLine(letter);
        assertFalse(line.contains("4111"), line);
        assertTrue(line.contains("test.Happened") && line.contains("[redacted]"), line);
        assertEquals("java.lang.IllegalStateException: card 4111-1111",
                policy(THREE, PoisonPolicy.HALT).loggedError(letter), "no redaction without a log view");
        assertEquals(Outcome.STOPPED, redacting.handle(event, failing(99), true));
        assertTrue(status.failure().getMessage().contains("failure 3"), "failure() keeps the cause for the caller");
    }

        @Test
    void storeOperationsAreRetriedUntilTheySucceed() {
        AtomicInteger calls = new AtomicInteger();
        Optional<String> result = policy(THREE, PoisonPolicy.HALT).retrying(() -> {
            if (calls.incrementAndGet() < 15) {
                throw new IllegalStateException("database down " + calls.get());
            }
            return Optional.of("read");
        });
        assertEquals(Optional.of("read"), result);
        assertEquals(15, calls.get(), "no attempt limit for the store");
        assertEquals("database down 14", status.lastError().getMessage());
    }

    @Test
    void storeRetriesEndWhenAStopIsAskedFor() {
        AtomicInteger calls = new AtomicInteger();
        Optional<String> result = policy(THREE, PoisonPolicy.HALT).retrying(() -> {
            calls.incrementAndGet();
            loop.requestStop();
            throw new IllegalStateException("down");
        });
        assertEquals(Optional.empty(), result);
        assertEquals(1, calls.get());
        loop.requestStop();
        assertEquals(Optional.empty(), policy(THREE, PoisonPolicy.HALT).retrying(() -> Optional.of("x")),
                "not even tried after a stop");
    }
}
