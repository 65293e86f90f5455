package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.subscription.Subscription;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A child JVM runs a transactional projection and is killed (SIGKILL) in the middle of a transaction. The read model
 * and the checkpoint must agree afterwards (the open transaction left no trace), and a restarted projection must end
 * with the fold of the log: no event applied twice, none lost.
 */
abstract class ProjectionCrashContract {

    static final int EVENTS = 300;
    static final long STOP_AT = 110;

    abstract Databases db();

    @Test
    void projectionKilledMidTransactionEndsWithTheFoldOfTheLogAfterARestart() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        for (int i = 1; i <= EVENTS; i++) {
            store.append(StreamRef.of("account", "a" + (i % 7)), ExpectedVersion.any(),
                    List.of(new Deposited("a" + (i % 7), i)));
        }
        List<String> args = location.childArguments();
        Jdbi jdbi = ProjectionChild.jdbi(args);
        String q = ProjectionChild.qualifier(args);
        ProjectionChild.createTables(jdbi, q);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ProjectionCrashMain.class.getName());
        command.add(Long.toString(STOP_AT));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CountDownLatch midBatch = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals("mid-batch")) {
                        midBatch.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // The pipe breaks when the child is killed.
            }
        });
        watcher.start();
        try {
            if (!midBatch.await(120, TimeUnit.SECONDS)) {
                fail("the child never reached event " + STOP_AT + " (alive: " + child.isAlive() + ")");
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
            watcher.join(TimeUnit.SECONDS.toMillis(60));
        }

        // Transactions of 25 events: 1-25 ... 76-100 committed; 101-110 were in the open transaction.
        assertEquals(Optional.of(positionOf(store, 100)), store.checkpoints().load(ProjectionChild.NAME));
        assertEquals(fold(store, 100), balances(jdbi, q));
        assertEquals(100, applied(jdbi, q, "count(*)"));

        try (Subscription restarted = ProjectionChild.subscription(store, jdbi, q, ProjectionChild.handler(q))
                .build().start()) {
            assertTrue(restarted.awaitPosition(positionOf(store, EVENTS), Duration.ofSeconds(60)));
        }
        assertEquals(fold(store, EVENTS), balances(jdbi, q));
        assertEquals(EVENTS, applied(jdbi, q, "count(*)"));
        assertEquals(EVENTS, applied(jdbi, q, "count(DISTINCT seq)"));
        assertEquals(Optional.of(positionOf(store, EVENTS)), store.checkpoints().load(ProjectionChild.NAME));
    }

    private static Position positionOf(JdbiEventStore store, long sequence) {
        return store.readAll(Position.START, 10_000).stream().filter(e -> e.globalPosition() == sequence)
                .findFirst().orElseThrow().position();
    }

    private static Map<String, Long> fold(JdbiEventStore store, long upTo) {
        Map<String, Long> sums = new TreeMap<>();
        for (StoredEvent<Object> event : store.readAll(Position.START, 10_000)) {
            if (event.globalPosition() <= upTo) {
                Deposited deposited = (Deposited) event.data();
                sums.merge(deposited.account(), deposited.cents(), Long::sum);
            }
        }
        return sums;
    }

    private static Map<String, Long> balances(Jdbi jdbi, String q) {
        return jdbi.withHandle(handle -> {
            Map<String, Long> rows = new TreeMap<>();
            handle.createQuery("SELECT account, cents FROM " + q + "balances")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(entry -> rows.put(entry.getKey(), entry.getValue()));
            return rows;
        });
    }

    private static long applied(Jdbi jdbi, String q, String aggregate) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + aggregate + " FROM " + q + "applied")
                .mapTo(Long.class).one());
    }
}
