package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.subscription.JdbiPartitionLeases;
import dev.eskit.partition.PartitionLeaseStatus;
import dev.eskit.partition.PartitionedSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes (child JVMs) share a 200,000-event log split into 16 partitions; one is killed with SIGKILL midway and a
 * fifth starts. Every event must be handled, each stream's events in order within each claim of its partition, with
 * no gap at a takeover, and events handled twice only where the killed node had handled them after its last
 * checkpoint (counted and bounded by its partitions times {@code checkpointEvery}).
 */
class PostgresPartitionKillTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    static final int STREAMS = 400;
    static final int PER_STREAM = 500;
    static final int EVENTS = STREAMS * PER_STREAM;
    static final int PARTITIONS = 16;
    static final int CHECKPOINT_EVERY = 1000;
    /** Events per stream written together: 20 streams in a checkpoint window of 1,000 events. */
    static final int RUN = 50;
    static final Duration LEASE = Duration.ofSeconds(6);
    static final Duration RENEW = Duration.ofMillis(1500);
    static final Duration WAIT = Duration.ofSeconds(240);

    /** One handler call, read back from a node's file. */
    record Handled(String node, int partition, int token, int stream, int version) {
    }

    @TempDir
    Path dir;

    @Test
    void fourNodesHandleEveryEventInOrderPerStreamAcrossAKillAndAJoin() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        long started = System.nanoTime();
        Position last = appendLog(store);
        long appended = System.nanoTime();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int n = 1; n <= 4; n++) {
                children.add(node("n" + n, location));
            }
            // Kill n2 once the nodes together have handled about half the log.
            awaitTrue(() -> recordsWritten() >= EVENTS / 2, "half the log was handled");
            Jdbi jdbi = Jdbi.create(location.dataSource());
            JdbiPartitionLeases leases = JdbiPartitionLeases.create(jdbi, store);
            Instant now = Instant.now();
            long killedOwned = leases.leases("spread").stream().filter(l -> l.owner().orElse("").equals("n2"))
                    .filter(l -> l.heldAt(now.minusSeconds(1))).count();
            children.get(1).kill();
            long killedAt = System.nanoTime();
            children.add(node("n5", location));
            awaitTrue(() -> allCheckpointsReach(store, last), "every partition's checkpoint reached the end");
            long done = System.nanoTime();
            for (ChildJvm child : children) {
                child.close();
            }
            List<Handled> handled = readAll();
            Map<String, Integer> firstHandlerOf = new HashMap<>();
            int duplicates = check(handled, firstHandlerOf);
            System.out.printf("PostgresPartitionKillTest: appended %,d events in %d ms; handled %,d calls"
                            + " (%,d duplicates; n2 held %d partitions when killed) in %d ms after the append;"
                            + " the kill was %d ms before the end%n", EVENTS, (appended - started) / 1_000_000,
                    handled.size(), duplicates, killedOwned, (done - appended) / 1_000_000,
                    (done - killedAt) / 1_000_000);
            assertTrue(killedOwned >= 1, "n2 held partitions when it was killed");
            assertTrue(duplicates <= killedOwned * CHECKPOINT_EVERY, duplicates + " duplicates, more than "
                    + killedOwned + " partitions x " + CHECKPOINT_EVERY);
            List<PartitionLeaseStatus> status = leases.leases("spread");
            assertEquals(PARTITIONS, status.size());
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    private ChildJvm node(String name, Databases.Location location) throws Exception {
        List<String> args = new ArrayList<>(List.of(name, "plain", dir.resolve(name + ".bin").toString(),
                String.valueOf(PARTITIONS), String.valueOf(LEASE.toMillis()), String.valueOf(RENEW.toMillis())));
        args.addAll(location.childArguments());
        ChildJvm child = ChildJvm.start(PartitionNodeMain.class, List.of("-Xmx256m", "-XX:+UseSerialGC"), args);
        assertTrue(child.await("ready", WAIT), name + " started");
        return child;
    }

    /**
     * Writes {@link #STREAMS} streams of {@link #PER_STREAM} events, interleaved in runs of 50 events per stream, in
     * imports of 10,000 events (one transaction each; much faster than 20,000 appends).
     */
    static Position appendLog(JdbiEventStore store) {
        return appendLog(store, PER_STREAM);
    }

    /** {@link #STREAMS} streams of {@code perStream} events (rounded up to a multiple of {@link #RUN}). */
    static Position appendLog(JdbiEventStore store, int perStream) {
        List<RawEvent> batch = new ArrayList<>(10_000);
        Instant now = Instant.now();
        for (int run = 0; run < (perStream + RUN - 1) / RUN; run++) {
            for (int s = 0; s < STREAMS; s++) {
                for (int i = 1; i <= RUN; i++) {
                    int version = run * RUN + i;
                    batch.add(new RawEvent(UUID.randomUUID(), StreamRef.of("account", "s" + s), version,
                            "test.Deposited", 1, Position.START, now, null,
                            ("{\"account\":\"s" + s + "\",\"cents\":" + version + "}")
                                    .getBytes(StandardCharsets.UTF_8)));
                    if (batch.size() == 10_000) {
                        store.raw().importEvents(batch);
                        batch.clear();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            store.raw().importEvents(batch);
        }
        return store.latestPosition();
    }

    static boolean allCheckpointsReach(JdbiEventStore store, Position last) {
        for (int p = 0; p < PARTITIONS; p++) {
            Position at = store.checkpoints().load(PartitionedSubscription.partitionName("spread", p, PARTITIONS))
                    .orElse(Position.START);
            if (at.compareTo(last) < 0) {
                return false;
            }
        }
        return true;
    }

    private long recordsWritten() {
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                bytes += Files.size(file);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes / 16;
    }

    private List<Handled> readAll() throws IOException {
        List<Handled> all = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String node = file.getFileName().toString().replace(".bin", "");
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
                while (bytes.remaining() >= 16) {
                    all.add(new Handled(node, bytes.getInt(), bytes.getInt(), bytes.getInt(), bytes.getInt()));
                }
            }
        }
        return all;
    }

    /**
     * Checks coverage, order and where duplicates are; returns how many handler calls were duplicates.
     *
     * <p>Per partition, the claims (fencing tokens) follow each other; within one claim every stream's versions are
     * consecutive; the next claim of a stream starts at most one past where the previous one ended (no gap), and
     * starts earlier (repeating events) only after a claim of the killed node.
     */
    static int check(List<Handled> handled, Map<String, Integer> unused) {
        // stream -> token -> [first, last, node]
        Map<Integer, TreeMap<Integer, int[]>> runs = new HashMap<>();
        Map<Integer, TreeMap<Integer, String>> runNode = new HashMap<>();
        for (Handled h : handled) {
            assertEquals(PartitionedSubscription.partitionOf("s" + h.stream(), PARTITIONS), h.partition(),
                    "stream s" + h.stream() + " was handled in its partition");
            assertTrue(h.token() > 0, "handled under a lease: " + h);
            TreeMap<Integer, int[]> byToken = runs.computeIfAbsent(h.stream(), s -> new TreeMap<>());
            int[] run = byToken.get(h.token());
            if (run == null) {
                byToken.put(h.token(), new int[] {h.version(), h.version()});
                runNode.computeIfAbsent(h.stream(), s -> new TreeMap<>()).put(h.token(), h.node());
            } else {
                assertEquals(run[1] + 1, h.version(), "stream s" + h.stream() + " in order within claim "
                        + h.token() + " on " + h.node());
                run[1] = h.version();
            }
        }
        assertEquals(STREAMS, runs.size(), "every stream was handled");
        int duplicates = 0;
        for (Map.Entry<Integer, TreeMap<Integer, int[]>> stream : runs.entrySet()) {
            int reached = 0;
            String previousNode = null;
            for (Map.Entry<Integer, int[]> run : stream.getValue().entrySet()) {
                int first = run.getValue()[0];
                int lastVersion = run.getValue()[1];
                assertTrue(first <= reached + 1, "no gap in stream s" + stream.getKey() + ": reached " + reached
                        + ", next claim starts at " + first);
                if (first <= reached) {
                    assertEquals("n2", previousNode, "stream s" + stream.getKey() + " repeated events after a claim"
                            + " of " + previousNode + ", not of the killed node");
                    duplicates += Math.min(reached, lastVersion) - first + 1;
                }
                reached = Math.max(reached, lastVersion);
                previousNode = runNode.get(stream.getKey()).get(run.getKey());
            }
            assertEquals(PER_STREAM, reached, "stream s" + stream.getKey() + " was handled to its end");
        }
        assertEquals(EVENTS + duplicates, handled.size(), "handler calls = events + duplicates");
        return duplicates;
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            LockSupport.parkNanos(200_000_000);
        }
    }
}
