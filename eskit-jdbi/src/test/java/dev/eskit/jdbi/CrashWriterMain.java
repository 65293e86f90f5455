package dev.eskit.jdbi;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of the crash test: appends whole batches forever and prints {@code committed <n>} after each
 * commit, until it is killed. Arguments: {@code sqlite <url>} or {@code postgres <url> <schema> <prefix>}.
 */
public final class CrashWriterMain {

    static final int BATCH = 25;
    static final int STREAMS = 5;

    private CrashWriterMain() {
    }

    /** Runs the writer. */
    public static void main(String[] args) {
        JdbiEventStore.Builder builder = JdbiEventStore.builder(TestEvents.codec()).url(args[1]);
        if (args[0].equals("postgres")) {
            builder.schema(args[2]).tablePrefix(args[3]);
        }
        try (JdbiEventStore store = builder.build()) {
            for (long batch = 1; batch < 1_000_000; batch++) {
                StreamRef stream = StreamRef.of("crash", "s" + (batch % STREAMS));
                List<Marked> events = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    events.add(new Marked("child", batch, i, BATCH, "n"));
                }
                store.append(stream, ExpectedVersion.any(), events);
                System.out.println("committed " + batch);
                System.out.flush();
            }
        }
    }
}
