package dev.eskit.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many publishing projections, many readers, some that never read, and subscribers coming and going, all at once:
 * readers that keep up receive every change of every read model in order, readers that do not get resyncs, and no
 * publisher ever waits for a reader.
 */
class ChangeNotifierHammerTest {

    static final int MODELS = 4;
    static final int CHANGES_PER_MODEL = 5_000;
    static final int READERS = 6;
    static final int SLOW = 4;

    @Test
    void readersSeeEveryChangeInOrderWhileSlowOnesResyncAndPublishersNeverBlock() throws Exception {
        ChangeNotifier notifier = ChangeNotifier.create(8, 1_000);
        List<Topic> everything = new ArrayList<>();
        for (int m = 0; m < MODELS; m++) {
            everything.add(Topic.of("model" + m));
        }
        int total = MODELS * CHANGES_PER_MODEL;
        List<ChangeSubscription> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(notifier.subscribe(everything, null, total));
        }
        List<ChangeSubscription> slow = new ArrayList<>();
        for (int s = 0; s < SLOW; s++) {
            slow.add(notifier.subscribe(List.of(Topic.of("model" + s, "k1"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(MODELS + READERS + 1);
        CyclicBarrier start = new CyclicBarrier(MODELS + READERS + 1);
        AtomicBoolean publishing = new AtomicBoolean(true);
        CountDownLatch published = new CountDownLatch(MODELS);
        try {
            List<Future<Long>> publishers = new ArrayList<>();
            for (int m = 0; m < MODELS; m++) {
                String model = "model" + m;
                publishers.add(pool.submit(() -> {
                    start.await();
                    long slowest = 0;
                    for (int i = 1; i <= CHANGES_PER_MODEL; i++) {
                        long before = System.nanoTime();
                        notifier.publish(Change.of(model, List.of("k" + (i % 3)), Position.of(i)));
                        slowest = Math.max(slowest, System.nanoTime() - before);
                    }
                    published.countDown();
                    return slowest;
                }));
            }
            List<Future<Map<String, List<Long>>>> received = new ArrayList<>();
            for (ChangeSubscription reader : readers) {
                received.add(pool.submit(() -> {
                    start.await();
                    Map<String, List<Long>> seen = new HashMap<>();
                    int count = 0;
                    while (count < total) {
                        Optional<ChangeSignal> signal = reader.poll(Duration.ofSeconds(30));
                        if (signal.isEmpty()) {
                            break;
                        }
                        Change change = (Change) signal.get();
                        seen.computeIfAbsent(change.readModel(), k -> new ArrayList<>())
                                .add(change.position().sequence());
                        count++;
                    }
                    return seen;
                }));
            }
            AtomicLong churned = new AtomicLong();
            Future<?> churn = pool.submit(() -> {
                start.await();
                while (publishing.get()) {
                    try (ChangeSubscription passing = notifier.subscribe(everything, Position.of(10), 4)) {
                        passing.poll();
                        churned.incrementAndGet();
                    }
                }
                return null;
            });
            assertTrue(published.await(60, TimeUnit.SECONDS), "the publishers did not finish");
            publishing.set(false);
            churn.get(30, TimeUnit.SECONDS);
            for (Future<Long> publisher : publishers) {
                // Readers that never read cannot hold a publisher up: no single publish takes anywhere near a second.
                assertTrue(publisher.get() < TimeUnit.SECONDS.toNanos(1), "a publish took " + publisher.get() + " ns");
            }
            List<Long> expected = new ArrayList<>();
            for (long i = 1; i <= CHANGES_PER_MODEL; i++) {
                expected.add(i);
            }
            for (Future<Map<String, List<Long>>> reader : received) {
                Map<String, List<Long>> seen = reader.get(60, TimeUnit.SECONDS);
                for (int m = 0; m < MODELS; m++) {
                    assertEquals(expected, seen.get("model" + m), "model" + m);
                }
            }
            for (ChangeSubscription never : slow) {
                assertTrue(never.overflows() > 0);
                ChangeSignal first = never.poll().orElseThrow();
                assertTrue(first instanceof Resync, "first signal after falling behind: " + first);
                assertTrue(never.size() <= 8);
            }
            assertTrue(churned.get() > 0);
            assertEquals(READERS + SLOW, notifier.subscribers());
            assertEquals(total, notifier.published());
        } finally {
            pool.shutdownNow();
            readers.forEach(ChangeSubscription::close);
            slow.forEach(ChangeSubscription::close);
        }
        assertEquals(0, notifier.subscribers());
    }
}
