package dev.eskit.http;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.change.ChangeKeys;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.codec.EventTypes;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded loopback load test of the change stream: {@code clients} SSE clients on one node, a projection that
 * announces one change per appended event, {@code changes} events appended at {@code perSecond}. Each client checks
 * that it receives every change, in order; the result holds the commit-to-client latencies and the heap per client.
 * Run by {@link SseLoadMain} at full size and by {@code SseLoadTest} at a small one.
 */
final class SseLoad {

    record Updated(String key, long n) {
    }

    /**
     * What a run measured.
     *
     * @param clients         clients connected
     * @param changes         changes published
     * @param delivered       changes received, over all clients
     * @param outOfOrder      changes received out of order or with a gap, over all clients
     * @param resyncs         resync signals received (a client fell behind)
     * @param p50Millis       median latency from the append's return to a client's receipt
     * @param p99Millis       99th percentile of it
     * @param maxMillis       the largest
     * @param heapPerClientKb heap in use per connected client (server and client side, one JVM), in KiB
     */
    record Result(int clients, int changes, long delivered, long outOfOrder, long resyncs, double p50Millis,
                  double p99Millis, double maxMillis, double heapPerClientKb) {
        boolean complete() {
            return delivered == (long) clients * changes && outOfOrder == 0 && resyncs == 0;
        }
    }

    private SseLoad() {
    }

    /** One client's receiver: checks order, records latencies. */
    static final class Receiver implements Flow.Subscriber<String> {
        final long[] commitNanos;
        final long[] latencies;
        final CountDownLatch done;
        final CountDownLatch connected;
        int received;
        long expected = 1;
        long outOfOrder;
        long resyncs;
        boolean resyncNext;

        Receiver(long[] commitNanos, int changes, CountDownLatch connected, CountDownLatch done) {
            this.commitNanos = commitNanos;
            this.latencies = new long[changes];
            this.connected = connected;
            this.done = done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            long now = System.nanoTime();
            if (line.equals(": eskit changes")) {
                connected.countDown();
            } else if (line.equals("event: resync")) {
                resyncs++;
            } else if (line.startsWith("id: ")) {
                long sequence = Long.parseLong(line.substring(line.indexOf('.') + 1));
                if (sequence != expected) {
                    outOfOrder++;
                }
                expected = sequence + 1;
                if (received < latencies.length && sequence < commitNanos.length) {
                    latencies[received] = now - commitNanos[(int) sequence];
                }
                received++;
                if (received == latencies.length) {
                    done.countDown();
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.countDown();
        }

        @Override
        public void onComplete() {
        }
    }

    static Result run(int clients, int changes, int perSecond) throws Exception {
        EventStore store = EventStore.inMemory(EventTypes.builder().add("load.Updated", Updated.class).build());
        ChangeNotifier notifier = ChangeNotifier.create(changes + 16, 1024);
        long[] commitNanos = new long[changes + 1];
        Projector projector = notifier.announcing(Projector.of("items", Set.of("load.Updated"), e -> { }),
                ChangeKeys.streamId());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long heapBefore = usedHeap();
        try (Subscription projection = projector.subscription(store, CheckpointStore.inMemory()).build().start();
             LiveHttpServer server = LiveHttpServer.builder(notifier).maxConnections(clients + 16)
                     .bufferSize(changes + 16).heartbeat(Duration.ofSeconds(5)).start()) {
            CountDownLatch connected = new CountDownLatch(clients);
            CountDownLatch done = new CountDownLatch(clients);
            List<Receiver> receivers = new ArrayList<>();
            List<CompletableFuture<?>> responses = new ArrayList<>();
            URI uri = server.uri().resolve("/changes?topic=items");
            for (int c = 0; c < clients; c++) {
                Receiver receiver = new Receiver(commitNanos, changes, connected, done);
                receivers.add(receiver);
                responses.add(http.sendAsync(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(receiver)));
            }
            if (!connected.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(connected.getCount() + " clients did not connect in 120 s");
            }
            long heapPerClient = (usedHeap() - heapBefore) / clients;
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            for (int i = 1; i <= changes; i++) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += interval;
                commitNanos[i] = System.nanoTime();
                store.append(StreamRef.of("item", "i" + (i % 100)), ExpectedVersion.any(),
                        List.of(new Updated("i" + (i % 100), i)));
            }
            boolean all = done.await(120, TimeUnit.SECONDS);
            long delivered = 0;
            long outOfOrder = 0;
            long resyncs = 0;
            long[] latencies = new long[clients * changes];
            int n = 0;
            for (Receiver receiver : receivers) {
                delivered += receiver.received;
                outOfOrder += receiver.outOfOrder;
                resyncs += receiver.resyncs;
                int count = Math.min(receiver.received, changes);
                System.arraycopy(receiver.latencies, 0, latencies, n, count);
                n += count;
            }
            Arrays.sort(latencies, 0, n);
            responses.forEach(r -> r.cancel(true));
            if (!all && delivered == 0) {
                throw new IllegalStateException("no client received anything");
            }
            return new Result(clients, changes, delivered, outOfOrder, resyncs, millis(latencies, n, 0.50),
                    millis(latencies, n, 0.99), n == 0 ? 0 : latencies[n - 1] / 1e6, heapPerClient / 1024.0);
        }
    }

    private static double millis(long[] sorted, int n, double quantile) {
        return n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(quantile * n) - 1)] / 1e6;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
