package dev.eskit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.Topic;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plain handler, writing to an OutputStream as any server would give it. */
class ChangeEventStreamTest {

    @Test
    void writesTheProtocolToAPlainOutputStreamUntilClosed() throws Exception {
        ChangeNotifier notifier = ChangeNotifier.create(2, 10);
        ChangeEventStream stream = ChangeEventStream.builder(notifier).bufferSize(2).retry(Duration.ofMillis(1500)).build();
        ChangeEventStream.Connection connection = stream.connect(List.of(Topic.of("balances")), null);
        notifier.publish(Change.of("balances", List.of("a\"b"), Position.of(1)));
        // A slow client: its buffer of 2 overflows before it writes anything.
        for (int i = 2; i <= 4; i++) {
            notifier.publish(Change.whole("balances", Position.of(i)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread writer = new Thread(() -> connection.writeTo(out));
        writer.start();
        Await.until("the resync to be written", Duration.ofSeconds(10),
                () -> out.toString(StandardCharsets.UTF_8).contains("0.4"));
        stream.close();
        writer.join(10_000);
        assertEquals("retry: 1500\n: eskit changes\n\n"
                        + "event: resync\ndata: {\"reason\":\"overflow\",\"position\":\"0.3\"}\n\n"
                        + "id: 0.4\nevent: change\ndata: {\"readModel\":\"balances\",\"keys\":[],\"position\":\"0.4\"}\n\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(0, stream.openConnections());
        assertEquals(0, notifier.subscribers());
    }

    @Test
    void concurrentConnectsAndClosesKeepTheBoundAndFreeEverySlot() throws Exception {
        ChangeNotifier notifier = ChangeNotifier.create();
        ChangeEventStream stream = ChangeEventStream.builder(notifier).maxConnections(4).build();
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads + 1);
        java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostHeld = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 500; i++) {
                        try (ChangeEventStream.Connection c = stream.connect(List.of(Topic.of("m")), null)) {
                            mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                            notifier.publish(Change.whole("m", Position.of(i + 1)));
                            held.decrementAndGet();
                        } catch (ConnectionLimitException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
            // Watches the count for as long as the workers run, so a moment above the bound is seen.
            java.util.concurrent.Future<?> watcher = pool.submit(() -> {
                start.await();
                while (!finished.get()) {
                    int now = stream.openConnections();
                    assertTrue(now <= 4, "more streams open than the bound: " + now);
                }
                return null;
            });
            try {
                for (java.util.concurrent.Future<?> worker : workers) {
                    worker.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                finished.set(true);
            }
            watcher.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(mostHeld.get() <= 4, "held " + mostHeld.get());
        assertEquals(0, stream.openConnections());
        assertEquals(0, notifier.subscribers());
    }

    @Test
    void aWriteThatOutlivesTheWriteTimeoutDropsTheClientAndLeavesTheThreadUninterrupted() throws Exception {
        ChangeNotifier notifier = ChangeNotifier.create();
        ChangeEventStream stream = ChangeEventStream.builder(notifier).writeTimeout(Duration.ofMillis(200)).build();
        ChangeEventStream.Connection connection = stream.connect(List.of(Topic.of("balances")), null);
        java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
        // A client that never reads: the write blocks until the thread is interrupted, as a socket channel's does.
        java.io.OutputStream stalled = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                blocked.countDown();
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
        };
        java.util.concurrent.atomic.AtomicBoolean interruptedAfter = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            connection.writeTo(stalled);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        writer.start();
        assertTrue(blocked.await(10, java.util.concurrent.TimeUnit.SECONDS));
        writer.join(10_000);
        assertTrue(!writer.isAlive(), "writeTo still blocked after the write timeout");
        assertTrue(!interruptedAfter.get(), "writeTo left its thread interrupted");
        assertEquals(0, stream.openConnections());
        assertEquals(0, notifier.subscribers());
        stream.close();
    }

    @Test
    void aWriteTimeoutMustBePositive() {
        ChangeEventStream.Builder builder = ChangeEventStream.builder(ChangeNotifier.create());
        assertTrue(assertThrows(InvalidInputException.class, () -> builder.writeTimeout(Duration.ZERO))
                .getMessage().contains("write timeout must be positive"));
    }

    @Test
    void escapesKeysInTheJsonData() {
        String text = ChangeEventStream.format(Change.of("m", Set.of("a\"b\n"), Position.of(7)));
        assertEquals("id: 0.7\nevent: change\ndata: {\"readModel\":\"m\",\"keys\":[\"a\\\"b\\n\"],\"position\":\"0.7\"}"
                + "\n\n", text);
    }

    @Test
    void readsTopicsFromAQueryAndRejectsBadOnes() {
        assertEquals(List.of(Topic.of("balances", "a b"), Topic.of("orders")),
                ChangeEventStream.topics("topic=balances%3Aa+b&other=1&topic=orders"));
        assertTrue(assertThrows(InvalidInputException.class, () -> ChangeEventStream.topics(null))
                .getMessage().contains("?topic="));
        String many = "topic=x&".repeat(ChangeEventStream.MAX_TOPICS + 1);
        assertThrows(InvalidInputException.class, () -> ChangeEventStream.topics(many));
        ChangeEventStream stream = ChangeEventStream.builder(ChangeNotifier.create()).maxConnections(1).build();
        stream.connect(List.of(Topic.of("x")), "not-a-position");
        assertThrows(ConnectionLimitException.class, () -> stream.connect(List.of(Topic.of("x")), null));
    }
}
