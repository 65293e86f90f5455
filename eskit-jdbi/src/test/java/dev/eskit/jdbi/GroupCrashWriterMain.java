package dev.eskit.jdbi;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of the group-commit crash test: {@value #WRITERS} threads append whole batches to a stream each,
 * concurrently (so appends share transactions), and print {@code committed <writer> <batch>} after each commit,
 * until killed. Arguments as {@link CrashWriterMain}.
 */
public final class GroupCrashWriterMain {

    static final int WRITERS = 8;
    static final int BATCH = 5;

    private GroupCrashWriterMain() {
    }

    /** Runs the writers. */
    public static void main(String[] args) throws InterruptedException {
        JdbiEventStore.Builder builder = JdbiEventStore.builder(TestEvents.codec()).url(args[1]).groupCommit(true);
        if (args[0].equals("postgres")) {
            builder.schema(args[2]).tablePrefix(args[3]);
        }
        JdbiEventStore store = builder.build();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                StreamRef stream = StreamRef.of("groupcrash", "w" + writer);
                for (long batch = 1; batch < 1_000_000; batch++) {
                    List<Marked> events = new ArrayList<>(BATCH);
                    for (int i = 0; i < BATCH; i++) {
                        events.add(new Marked("w" + writer, batch, i, BATCH, "n"));
                    }
                    store.append(stream, ExpectedVersion.exactly((batch - 1) * BATCH), events);
                    synchronized (System.out) {
                        System.out.println("committed " + writer + " " + batch);
                        System.out.flush();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
