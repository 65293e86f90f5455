package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.jdbi.subscription.JdbiTableSwap;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.projection.rebuild.RebuildRequestWatcher;
import dev.eskit.projection.rebuild.ShadowRebuild;
import dev.eskit.subscription.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code eskit projections rebuild NAME --shadow} end to end: the tool, in its own JVM, writes a rebuild request; an
 * application node (here: this JVM) runs the live projection and a {@link RebuildRequestWatcher}, claims the request,
 * rebuilds into a shadow table and swaps; the tool prints the node's progress and exits 0 after the swap, 1 after a
 * failure or when no node picks the request up. Version 1 of the projection sums cents, version 10 ten times them.
 */
abstract class ShadowRebuildCliContract {

    static final int EVENTS = 400;
    static final Duration WAIT = Duration.ofSeconds(120);

    /** A new store with {@link #EVENTS} orders; returns it. */
    abstract JdbiEventStore newStore() throws Exception;

    /** The tool's store options for that store. */
    abstract List<String> storeArgs();

    /** The qualifier of the projection's table ("" or "schema."). */
    abstract String qualifier();

    JdbiEventStore store;
    Jdbi jdbi;
    final List<AutoCloseable> closing = new ArrayList<>();
    /** Counted down when the tool has printed a progress line; the shadow waits for it halfway (see node()). */
    final CountDownLatch printedProgress = new CountDownLatch(1);

    String table() {
        return qualifier() + "order_totals";
    }

    void open() throws Exception {
        store = newStore();
        for (int s = 0; s < 4; s++) {
            List<Object> orders = new ArrayList<>();
            for (int i = 0; i < EVENTS / 4; i++) {
                orders.add(new ShopEventTypes.Ordered("o-" + s, 1, "EUR"));
            }
            store.append(StreamRef.of("order", "o-" + s), ExpectedVersion.any(), orders);
        }
        jdbi = jdbi();
        jdbi.useHandle(h -> h.execute("CREATE TABLE " + table() + " (order_id text PRIMARY KEY, cents bigint)"));
    }

    abstract Jdbi jdbi();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (store != null) {
            store.close();
        }
    }

    ShadowRebuild<Handle> projection(long factor, long shadowMicros, int failAt) {
        String live = table();
        int[] seen = new int[1];
        return ShadowRebuild.builder("orders", store, store.checkpoints(), JdbiTransactor.of(jdbi, store),
                        JdbiTableSwap.create())
                .tables(live)
                .create((handle, names) -> handle.execute("CREATE TABLE " + names.apply(live)
                        + " (order_id text PRIMARY KEY, cents bigint)"))
                .handler(names -> (handle, event) -> {
                    if (!names.apply(live).equals(live)) {
                        LockSupport.parkNanos(shadowMicros * 1000);
                        if (++seen[0] == failAt) {
                            throw new OutOfMemoryError("simulated crash of the rebuild at event " + failAt);
                        }
                        if (failAt == 0 && seen[0] >= EVENTS / 4 && seen[0] < EVENTS - 20 && seen[0] % 10 == 0
                                && printedProgress.getCount() > 0 && reportWritten()) {
                            // Hold the rebuild until the tool has printed a progress report: on a busy machine its
                            // polls could otherwise all miss the few reports of a short rebuild. Hold only once a
                            // report is in the table: this handler runs inside the shadow's write transaction, and on
                            // SQLite (one writer) the node could not write a report while it waits here; the tool only
                            // reads, which SQLite's WAL lets it do meanwhile.
                            try {
                                printedProgress.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                    ShopEventTypes.Ordered o = (ShopEventTypes.Ordered) event.data();
                    handle.execute("INSERT INTO " + names.apply(live) + " AS t (order_id, cents) VALUES (?, ?)"
                            + " ON CONFLICT (order_id) DO UPDATE SET cents = t.cents + excluded.cents", o.orderId(),
                            o.cents() * factor);
                })
                .subscription(s -> s.eventTypes("shop.Ordered").batchSize(20).checkpointEvery(20)
                        .pollInterval(Duration.ofMillis(50)))
                .progressEvery(Duration.ofMillis(100))
                .build();
    }

    /** Whether the node has written a progress report of the rebuild (read on a connection of its own). */
    private boolean reportWritten() {
        return JdbiRebuildRequests.create(jdbi, store).find("orders").map(r -> r.remaining() >= 0).orElse(false);
    }

    /** The application node: version 1 live, serving rebuild requests with version {@code factor}. */
    AtomicReference<Subscription> node(long factor, long shadowMicros, int failAt) throws Exception {
        Subscription v1 = projection(1, 0, 0).subscription().build().start();
        assertTrue(v1.awaitCaughtUp(WAIT));
        AtomicReference<Subscription> live = new AtomicReference<>(v1);
        closing.add(() -> live.get().stop());
        RebuildRequestWatcher watcher = RebuildRequestWatcher.builder(JdbiRebuildRequests.create(jdbi, store),
                        "node-1")
                .projection(projection(factor, shadowMicros, failAt), live::get, live::set)
                .pollEvery(Duration.ofMillis(100)).lease(Duration.ofSeconds(5)).build();
        closing.add(0, watcher);
        watcher.start();
        return live;
    }

    Map<String, Long> totals() {
        Map<String, Long> rows = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT order_id, cents FROM " + table())
                .map((r, c) -> Map.entry(r.getString(1), r.getLong(2))).forEach(e -> rows.put(e.getKey(),
                        e.getValue())));
        return rows;
    }

    static Map<String, Long> sums(long each) {
        Map<String, Long> expected = new TreeMap<>();
        for (int s = 0; s < 4; s++) {
            expected.put("o-" + s, each * EVENTS / 4);
        }
        return expected;
    }

    /** Runs the tool in a JVM of its own. */
    Cli tool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(storeArgs());
        Process process = new ProcessBuilder(command).start();
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        Thread outReader = reader(process.getInputStream(), out, line -> {
            if (line.contains("events to go")) {
                printedProgress.countDown();
            }
        });
        Thread errReader = reader(process.getErrorStream(), err, line -> { });
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the tool ended");
        outReader.join(WAIT.toMillis());
        errReader.join(WAIT.toMillis());
        return new Cli(process.exitValue(), out.toString(), err.toString());
    }

    private static Thread reader(java.io.InputStream stream, StringBuffer into,
                                 java.util.function.Consumer<String> onLine) {
        Thread thread = new Thread(() -> {
            try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(stream,
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    into.append(line).append('\n');
                    onLine.accept(line);
                }
            } catch (IOException e) {
                into.append("(reading failed: ").append(e).append(")\n");
            }
        });
        thread.start();
        return thread;
    }

    Cli inProcess(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(storeArgs());
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void theToolRequestsTheRebuildAndPrintsTheNodesProgressUntilTheSwap() throws Exception {
        open();
        AtomicReference<Subscription> live = node(10, 2_000, 0);
        assertEquals(sums(1), totals());
        Cli result = tool("projections", "rebuild", "orders", "--shadow", "--interval-ms", "100");
        assertEquals(ExitCodes.OK, result.code(), result::toString);
        assertTrue(result.out().contains("Requested a shadow rebuild of \"orders\""), result.out());
        assertTrue(result.out().contains("Node node-1 is rebuilding \"orders\" (attempt 1"), result.out());
        assertTrue(result.out().contains("events to go") && result.out().contains("events/s")
                && result.out().contains("ETA"), result.out());
        assertTrue(result.out().contains("Swapped: \"orders\" now serves the rebuilt tables"), result.out());
        assertEquals(sums(10), totals(), "the live table has the rebuilt state");
        assertTrue(live.get().isRunning(), "the node runs the rebuilt projection");
        assertEquals(List.of(), jdbi.withHandle(h -> JdbiTableSwap.leftovers(h, table())));
    }

    @Test
    void aFailedRebuildExitsWithOneAndLeavesTheLiveTable() throws Exception {
        open();
        node(10, 0, EVENTS / 2);
        Cli result = tool("projections", "rebuild", "orders", "--shadow", "--interval-ms", "100");
        assertEquals(ExitCodes.CHECK_FAILED, result.code(), result::toString);
        assertTrue(result.err().contains("failed on node node-1") && result.err().contains("simulated crash"),
                result.err());
        assertEquals(sums(1), totals());
    }

    @Test
    void withNoNodeTheRequestIsWithdrawnAfterThePickupTimeout() throws Exception {
        open();
        Cli result = inProcess("projections", "rebuild", "orders", "--shadow", "--interval-ms", "50",
                "--pickup-timeout-ms", "300");
        assertEquals(ExitCodes.CHECK_FAILED, result.code(), result::toString);
        assertTrue(result.err().contains("No application node picked up"), result.err());
        assertFalse(JdbiRebuildRequests.create(jdbi, store).find("orders").isPresent(), "withdrawn");
    }

    @Test
    void cleanupDropsLeftoverShadowTablesAndRefusesWhileARebuildRuns() throws Exception {
        open();
        jdbi.useHandle(h -> h.execute("CREATE TABLE " + table() + "_s0000000000001 (order_id text)"));
        store.checkpoints().save("orders#shadow", store.latestPosition());
        Cli dry = inProcess("projections", "cleanup", "orders", "--table", table(), "--dry-run");
        assertEquals(ExitCodes.OK, dry.code(), dry::toString);
        assertTrue(dry.out().contains("Would drop table " + table() + "_s0000000000001"), dry.out());
        assertEquals(1, jdbi.withHandle(h -> JdbiTableSwap.leftovers(h, table())).size());

        JdbiRebuildRequests requests = JdbiRebuildRequests.create(jdbi, store);
        requests.request("orders");
        assertTrue(requests.tryClaim("orders", "node-9", List.of(table()), Duration.ofMinutes(1)).isPresent());
        Cli refused = inProcess("projections", "cleanup", "orders");
        assertEquals(ExitCodes.CHECK_FAILED, refused.code(), refused::toString);
        assertTrue(refused.err().contains("running on node node-9"), refused.err());
        requests.finish("orders", "node-9", false, "given up");

        Cli done = inProcess("projections", "cleanup", "orders");
        assertEquals(ExitCodes.OK, done.code(), done::toString);
        assertTrue(done.out().contains("Dropped table " + table() + "_s0000000000001"), done.out());
        assertTrue(done.out().contains("Dropped checkpoint orders#shadow"), done.out());
        assertEquals(List.of(), jdbi.withHandle(h -> JdbiTableSwap.leftovers(h, table())));
        assertFalse(store.checkpoints().load("orders#shadow").isPresent());
        assertEquals(sums(1).size(), 4);
    }
}
