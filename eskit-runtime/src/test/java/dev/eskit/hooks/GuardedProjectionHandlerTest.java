package dev.eskit.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.projection.ProjectionHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardedProjectionHandlerTest {

    /** Sums amounts; fails on an amount listed in {@code poison} for its first {@code failures} tries. */
    private static final class Sums implements ProjectionHandler {
        final List<Integer> applied = new ArrayList<>();
        final int poison;
        int failures;

        Sums(int poison, int failures) {
            this.poison = poison;
            this.failures = failures;
        }

        @Override
        public String name() {
            return "sums";
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("tally.Added");
        }

        @Override
        public void handle(StoredEvent<?> event) {
            int amount = ((Tally.Added) event.data()).amount();
            if (amount == poison && failures > 0) {
                failures--;
                throw new IllegalStateException("cannot apply " + amount);
            }
            applied.add(amount);
        }
    }

    private final List<StoredEvent<Object>> events;

    GuardedProjectionHandlerTest() {
        EventStore store = EventStore.inMemory(Tally.TYPES);
        store.append(StreamRef.of("tally", "t"), ExpectedVersion.noStream(),
                List.of(new Tally.Added(1), new Tally.Added(2), new Tally.Added(3)));
        events = store.readAll(Position.START, 10);
    }

    @Test
    void skipLeavesOutTheFailedEventAndAppliesTheRest() {
        Sums sums = new Sums(2, Integer.MAX_VALUE);
        ProjectionHandler guarded = GuardedProjectionHandler.of(sums, ProjectionErrorPolicy.skip());
        events.forEach(guarded::handle);
        assertEquals(List.of(1, 3), sums.applied);
    }

    @Test
    void retryAppliesAnEventThatSucceedsWithinItsAttempts() {
        Sums sums = new Sums(2, 2);
        List<Integer> attempts = new ArrayList<>();
        ProjectionHandler guarded = GuardedProjectionHandler.of(sums,
                ProjectionErrorPolicy.retry(3, Duration.ZERO, ProjectionErrorPolicy.halt()),
                (name, event, attempt, error) -> attempts.add(attempt));
        events.forEach(guarded::handle);
        assertEquals(List.of(1, 2, 3), sums.applied);
        assertEquals(List.of(1, 2), attempts);
    }

    @Test
    void haltStopsAtTheFailedEventAndRefusesLaterEventsUntilResumed() {
        Sums sums = new Sums(2, 3);
        GuardedProjectionHandler guarded = GuardedProjectionHandler.of(sums,
                ProjectionErrorPolicy.retry(2, Duration.ZERO, ProjectionErrorPolicy.halt()));
        guarded.handle(events.get(0));
        ProjectionHaltedException halt = assertThrows(ProjectionHaltedException.class,
                () -> guarded.handle(events.get(1)));
        assertEquals(events.get(1).position(), halt.position());
        assertTrue(guarded.isHalted());
        assertThrows(ProjectionHaltedException.class, () -> guarded.handle(events.get(2)));
        assertEquals(List.of(1), sums.applied);
        guarded.resume();
        assertFalse(guarded.isHalted());
        guarded.handle(events.get(1)); // the third try of "2" succeeds
        guarded.handle(events.get(2));
        assertEquals(List.of(1, 2, 3), sums.applied);
    }

    @Test
    void aFailingErrorHookDoesNotChangeThePolicy() {
        Sums sums = new Sums(2, 1);
        ProjectionHandler guarded = GuardedProjectionHandler.of(sums, ProjectionErrorPolicy.skip(),
                (name, event, attempt, error) -> {
                    throw new IllegalStateException("alerting down");
                });
        events.forEach(guarded::handle);
        assertEquals(List.of(1, 3), sums.applied);
    }

    @Test
    void retryPoliciesAreValidated() {
        assertThrows(InvalidInputException.class,
                () -> ProjectionErrorPolicy.retry(0, Duration.ZERO, ProjectionErrorPolicy.skip()));
        assertThrows(InvalidInputException.class,
                () -> ProjectionErrorPolicy.retry(2, Duration.ofMillis(-1), ProjectionErrorPolicy.skip()));
        assertThrows(InvalidInputException.class, () -> ProjectionErrorPolicy.retry(2, Duration.ZERO,
                ProjectionErrorPolicy.retry(2, Duration.ZERO, ProjectionErrorPolicy.skip())));
    }
}
