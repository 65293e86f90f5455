package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A child JVM appends whole batches; it is killed with {@code destroyForcibly} (SIGKILL) once it has committed some.
 * Reopened, the store holds only whole batches, every stream's versions have no holes, and it accepts new appends.
 */
abstract class CrashContract {

    static final int COMMITS_BEFORE_KILL = 30;

    abstract Databases db();

    @Test
    void aWriterKilledMidRunLeavesOnlyWholeBatchesAndTheStoreWorksAfterwards() throws Exception {
        Databases.Location location = db().newLocation();
        db().open(location).close(); // create the tables before the child starts
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWriterMain.class.getName());
        command.addAll(location.childArguments());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicLong lastReported = new AtomicLong();
        CountDownLatch enough = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("committed ")) {
                        lastReported.set(Long.parseLong(line.substring("committed ".length())));
                        if (lastReported.get() >= COMMITS_BEFORE_KILL) {
                            enough.countDown();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // The pipe breaks when the child is killed.
            }
        });
        watcher.start();
        try {
            if (!enough.await(120, TimeUnit.SECONDS)) {
                fail("the child committed only " + lastReported.get() + " batches in 120 s (alive: "
                        + child.isAlive() + ")");
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
            watcher.join(TimeUnit.SECONDS.toMillis(60));
        }

        JdbiEventStore store = db().open(location);
        List<StoredEvent<Object>> log = new ArrayList<>();
        for (List<StoredEvent<Object>> page = store.readAll(Position.START, 1000); !page.isEmpty();
             page = store.readAll(page.get(page.size() - 1).position(), 1000)) {
            log.addAll(page);
        }
        assertEquals(0, log.size() % CrashWriterMain.BATCH, "only whole batches: " + log.size() + " events");
        assertTrue(log.size() / CrashWriterMain.BATCH >= lastReported.get(),
                "every batch the child reported as committed is there");
        Map<Long, Integer> perBatch = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            Marked marked = (Marked) log.get(i).data();
            assertEquals(i % CrashWriterMain.BATCH, marked.index(), "batches are whole and in order at " + i);
            perBatch.merge(marked.batch(), 1, Integer::sum);
        }
        perBatch.values().forEach(count -> assertEquals(CrashWriterMain.BATCH, count));
        for (int s = 0; s < CrashWriterMain.STREAMS; s++) {
            StreamRef stream = StreamRef.of("crash", "s" + s);
            List<StoredEvent<Object>> events = store.load(stream);
            for (int v = 0; v < events.size(); v++) {
                assertEquals(v + 1, events.get(v).version(), "no holes in " + stream);
            }
            assertEquals(events.size(), store.streamVersion(stream));
            long version = store.append(stream, ExpectedVersion.exactly(events.size()),
                    List.of(new Marked("parent", 0, 0, 1, "after"))).streamVersion();
            assertEquals(events.size() + 1, version);
        }
    }

    @Test
    void concurrentWritersKilledMidGroupLeaveWholeAppendsAndEveryAcknowledgedOne() throws Exception {
        Databases.Location location = db().newLocation();
        db().open(location).close();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GroupCrashWriterMain.class.getName());
        command.addAll(location.childArguments());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long[] acknowledged = new long[GroupCrashWriterMain.WRITERS];
        AtomicLong total = new AtomicLong();
        CountDownLatch enough = new CountDownLatch(1);
        Thread watcher = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3 && parts[0].equals("committed")) {
                        synchronized (acknowledged) {
                            acknowledged[Integer.parseInt(parts[1])] = Long.parseLong(parts[2]);
                        }
                        if (total.incrementAndGet() >= COMMITS_BEFORE_KILL * 4L) {
                            enough.countDown();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // The pipe breaks when the child is killed.
            }
        });
        watcher.start();
        try {
            if (!enough.await(120, TimeUnit.SECONDS)) {
                fail("the child committed only " + total.get() + " appends in 120 s (alive: " + child.isAlive()
                        + ")");
            }
        } finally {
            // Killed while its writers keep appending: most likely in the middle of a group.
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
            watcher.join(TimeUnit.SECONDS.toMillis(60));
        }

        JdbiEventStore store = db().open(location);
        List<StoredEvent<Object>> log = new ArrayList<>();
        for (List<StoredEvent<Object>> page = store.readAll(Position.START, 1000); !page.isEmpty();
             page = store.readAll(page.get(page.size() - 1).position(), 1000)) {
            log.addAll(page);
        }
        long events = 0;
        for (int w = 0; w < GroupCrashWriterMain.WRITERS; w++) {
            StreamRef stream = StreamRef.of("groupcrash", "w" + w);
            List<StoredEvent<Object>> stored = store.load(stream);
            assertEquals(0, stored.size() % GroupCrashWriterMain.BATCH, "whole appends only in " + stream);
            for (int v = 0; v < stored.size(); v++) {
                Marked marked = (Marked) stored.get(v).data();
                assertEquals(v + 1, stored.get(v).version(), "no holes in " + stream);
                assertEquals(v / GroupCrashWriterMain.BATCH + 1, marked.batch(), "batches in order in " + stream);
                assertEquals(v % GroupCrashWriterMain.BATCH, marked.index(), "whole batch in " + stream);
            }
            long batches = stored.size() / GroupCrashWriterMain.BATCH;
            synchronized (acknowledged) {
                assertTrue(batches >= acknowledged[w], stream + ": every acknowledged append is durable ("
                        + batches + " stored, " + acknowledged[w] + " acknowledged)");
            }
            events += stored.size();
            assertEquals(stored.size(), store.streamVersion(stream));
            store.append(stream, ExpectedVersion.exactly(stored.size()), List.of(new Marked("parent", 0, 0, 1, "x")));
        }
        assertEquals(events, log.size(), "the log holds exactly the streams' events");
        for (int i = 1; i < log.size(); i++) {
            assertTrue(log.get(i - 1).position().compareTo(log.get(i).position()) < 0, "ascending at " + i);
        }
    }
}
