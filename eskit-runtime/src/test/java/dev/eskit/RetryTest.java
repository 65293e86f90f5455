package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {

    @Test
    void delaysDoubleFromTheInitialDelayUpToTheCap() {
        Retry retry = Retry.exponential(10, Duration.ofMillis(10), Duration.ofMillis(50));
        assertEquals(Duration.ZERO, retry.delayAfter(0));
        assertEquals(Duration.ofMillis(10), retry.delayAfter(1));
        assertEquals(Duration.ofMillis(20), retry.delayAfter(2));
        assertEquals(Duration.ofMillis(40), retry.delayAfter(3));
        assertEquals(Duration.ofMillis(50), retry.delayAfter(4));
        assertEquals(Duration.ofMillis(50), retry.delayAfter(63), "no overflow");
        assertEquals(Duration.ofMillis(50), retry.delayAfter(Integer.MAX_VALUE));
        assertEquals(retry.delayAfter(3), retry.pauseAfter(3), "no jitter: the pause is the delay");
    }

    @Test
    void jitterDrawsEachPauseBetweenHalfAndAllOfTheDelay() {
        Retry retry = Retry.exponential(10, Duration.ofMillis(8), Duration.ofMillis(50)).withJitter(true);
        assertTrue(retry.jitter());
        boolean varied = false;
        Duration first = retry.pauseAfter(2);
        for (int i = 0; i < 200; i++) {
            Duration pause = retry.pauseAfter(2);
            assertFalse(pause.compareTo(Duration.ofMillis(8)) < 0, pause.toString());
            assertFalse(pause.compareTo(Duration.ofMillis(16)) > 0, pause.toString());
            varied |= !pause.equals(first);
            Duration late = retry.pauseAfter(40);
            assertFalse(late.compareTo(Duration.ofMillis(25)) < 0, late.toString());
            assertFalse(late.compareTo(Duration.ofMillis(50)) > 0, late.toString());
        }
        assertTrue(varied, "the pauses vary");
        assertEquals(Duration.ZERO, Retry.exponential(3, Duration.ZERO, Duration.ZERO).withJitter(true).pauseAfter(2));
    }

    @Test
    void anotherAttemptIsAllowedOnlyBelowTheLimit() {
        Retry retry = Retry.exponential(3, Duration.ZERO, Duration.ZERO);
        assertTrue(retry.allowsAnotherAfter(1));
        assertTrue(retry.allowsAnotherAfter(2));
        assertFalse(retry.allowsAnotherAfter(3));
        assertFalse(Retry.none().allowsAnotherAfter(1));
    }

    @Test
    void presetsSayWhatTheyAreFor() {
        assertEquals(new Retry(5, Duration.ofMillis(100), Duration.ofSeconds(10), false), Retry.defaults());
        assertEquals(new Retry(1, Duration.ofMillis(100), Duration.ofSeconds(10), false), Retry.none());
        assertEquals(new Retry(4, Duration.ofMillis(5), Duration.ofMillis(200), true), Retry.attempts(4));
        assertFalse(Retry.exponential(2, Duration.ZERO, Duration.ZERO).jitter());
    }

    @Test
    void outOfRangeSettingsAreRefusedWithWhatToDo() {
        InvalidInputException attempts = assertThrows(InvalidInputException.class,
                () -> Retry.exponential(0, Duration.ZERO, Duration.ZERO));
        assertTrue(attempts.getMessage().contains("Use 1 to 100"), attempts.getMessage());
        assertThrows(InvalidInputException.class, () -> Retry.exponential(101, Duration.ZERO, Duration.ZERO));
        assertThrows(InvalidInputException.class, () -> Retry.exponential(3, Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(InvalidInputException.class,
                () -> Retry.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals(100, Retry.exponential(100, Duration.ZERO, Duration.ZERO).maxAttempts());
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedPoliciesMeanTheSameRetry() {
        assertEquals(Retry.exponential(3, Duration.ofMillis(1), Duration.ofMillis(4)),
                dev.eskit.subscription.Backoff.exponential(3, Duration.ofMillis(1), Duration.ofMillis(4)).toRetry());
        assertEquals(Retry.none(), dev.eskit.subscription.Backoff.noRetry().toRetry());
        assertEquals(Retry.defaults(), dev.eskit.subscription.Backoff.defaults().toRetry());
        assertEquals(Retry.attempts(3), dev.eskit.command.RetryPolicy.attempts(3).toRetry());
        assertEquals(new Retry(1, Duration.ZERO, Duration.ZERO, true), dev.eskit.command.RetryPolicy.none().toRetry());
    }
}
