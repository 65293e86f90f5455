package dev.eskit.jdbi.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.jdbi.StoreConfigurationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PostgresNotifierCoalescingTest {

    @Test
    void appendsDuringASendShareOneNotifyInsteadOfOneEach() throws Exception {
        CountDownLatch firstSendStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstSend = new CountDownLatch(1);
        CountDownLatch secondSendDone = new CountDownLatch(1);
        AtomicInteger sends = new AtomicInteger();
        try (PostgresNotifier notifier = PostgresNotifier.sendingWith(() -> {
            int n = sends.incrementAndGet();
            if (n == 1) {
                firstSendStarted.countDown();
                releaseFirstSend.await();
            } else {
                secondSendDone.countDown();
            }
        }, "eskit_test")) {
            AtomicInteger woken = new AtomicInteger();
            notifier.onAppend(woken::incrementAndGet);
            notifier.appended();
            assertTrue(firstSendStarted.await(20, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                notifier.appended();
            }
            releaseFirstSend.countDown();
            assertTrue(secondSendDone.await(20, TimeUnit.SECONDS));
            assertEquals(101, woken.get(), "local listeners hear every append at once");
            // Nothing is pending any more: no third NOTIFY follows.
            notifier.close();
            assertEquals(2, sends.get());
            assertEquals(2, notifier.notificationsSent());
        }
    }

    @Test
    void channelNamesAreValidatedBeforeTheyReachSql() {
        assertThrows(StoreConfigurationException.class,
                () -> PostgresNotifier.sendingWith(() -> { }, "bad; DROP TABLE x"));
        assertThrows(StoreConfigurationException.class, () -> PostgresNotifier.sendingWith(() -> { }, ""));
    }
}
