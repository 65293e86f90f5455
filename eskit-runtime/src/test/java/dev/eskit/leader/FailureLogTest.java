package dev.eskit.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.testlog.LogCapture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class FailureLogTest {

    @Test
    void aRepeatingFailureIsLoggedOnceThenOncePerIntervalWithTheCountAndOnceWhenItStops() {
        AtomicLong now = new AtomicLong();
        try (LogCapture log = LogCapture.start(FailureLogTest.class, Level.INFO)) {
            FailureLog failures = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class), "reach the database",
                    1_000, now::get);
            for (int i = 0; i < 10; i++) {
                failures.failed(new IllegalStateException("down " + i), "Retrying");
                now.addAndGet(50);
            }
            // 0 ms: the first line; 1000 ms would be the next, but the tenth failure came at 450 ms.
            assertEquals(1, log.entries().size(), log.messages().toString());
            for (int i = 10; i < 30; i++) {
                failures.failed(new IllegalStateException("down " + i), "Retrying");
                now.addAndGet(50);
            }
            // 20 failures from 500 ms to 1450 ms: one more line, at 1000 ms, counting the 20 since the first line.
            assertEquals(2, log.entries().size(), log.messages().toString());
            assertTrue(log.messages().get(1).contains("(20 more failures since the last report): "
                    + "java.lang.IllegalStateException: down 20"), log.messages().get(1));
            failures.succeeded();
            failures.succeeded();
            assertEquals(3, log.entries().size(), log.messages().toString());
            assertEquals(Level.INFO, log.entries().get(2).level());
            assertTrue(log.messages().get(2).contains("after 30 failures"), log.messages().get(2));
            failures.failed(new IllegalStateException("down again"), "Retrying");
            assertEquals(Level.WARN, log.entries().get(3).level());
            assertTrue(log.messages().get(3).startsWith("Failed to reach the database:"), log.messages().get(3));
        }
    }
}
