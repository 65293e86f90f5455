package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Query;
import java.util.List;
import java.util.Set;

/**
 * The second child process of {@link LongStreamCommandTest}, run with a small heap on a pool of two connections: loads
 * the long stream streamed, then the whole stream as a list (which may run out of memory half-way through a result),
 * and after each runs the store's other reads many times on the same pool, so that a connection left with unread
 * results would be handed out again ("Multiple ResultSets were returned"). Prints {@code streamed <n>},
 * {@code list load done} (its outcome goes to standard error), {@code reads ok <phase>}, or {@code read failed <phase>: <error>} and exits with 1.
 * Arguments: the location arguments of {@link ProjectionChild}.
 */
public final class LongStreamReadsMain {

    private static final StreamRef LONG = StreamRef.of("account", "long");

    private LongStreamReadsMain() {
    }

    /** Runs the phases. */
    public static void main(String[] arguments) {
        List<String> args = List.of(arguments);
        JdbiEventStore.Builder builder = JdbiEventStore.builder(TestEvents.codec()).url(args.get(1))
                .maxConnections(2);
        if (args.get(0).equals("postgres")) {
            builder.schema(args.get(2)).tablePrefix(args.get(3));
        }
        try (JdbiEventStore store = builder.build()) {
            long[] count = {0};
            store.load(LONG, 1, event -> count[0]++);
            System.out.println("streamed " + count[0]);
            reads(store, "after the streamed load");
            String outcome;
            try {
                List<StoredEvent<Object>> all = store.load(LONG, 1);
                outcome = "list load: " + all.size() + " events";
            } catch (OutOfMemoryError e) {
                outcome = "list load: out of memory";
            } catch (StoreAccessException e) {
                outcome = "list load: " + e.getMessage();
            }
            System.err.println("LongStreamReadsMain " + outcome);
            System.out.println("list load done");
            reads(store, "after the list load");
        }
        System.out.flush();
    }

    private static void reads(JdbiEventStore store, String phase) {
        try {
            for (int round = 0; round < 10; round++) {
                long version = store.streamVersion(LONG);
                if (store.load(LONG, version - 4).size() != 5) {
                    throw new IllegalStateException("the last 5 events of the stream were not 5");
                }
                long[] tail = {0};
                store.load(LONG, version - 99, event -> tail[0]++);
                if (tail[0] != 100) {
                    throw new IllegalStateException("the streamed tail had " + tail[0] + " events, not 100");
                }
                store.readAll(Position.START, 100, Set.of());
                store.read(Query.all(), Position.START, 10);
                store.raw().stats();
            }
            System.out.println("reads ok " + phase);
        } catch (RuntimeException e) {
            System.err.println("LongStreamReadsMain read failed " + phase + ": " + e);
            System.out.println("read failed " + phase + ": " + e);
            System.out.flush();
            System.exit(1);
        }
    }
}
