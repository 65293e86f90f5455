package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.postgres.PostgresNotifier;
import java.util.List;

/**
 * The child process of the cross-JVM wake-up tests: appends {@code count} events, one per append, then prints
 * {@code done} and keeps appending one event every 100 ms until killed. With {@code notify <channel>} it appends through a {@link PostgresNotifier}
 * view. Arguments: {@code <count> <notify channel|plain ->} then the location arguments of {@link ProjectionChild}.
 */
public final class NotifyingWriterMain {

    private NotifyingWriterMain() {
    }

    /** Appends and waits. */
    public static void main(String[] arguments) throws Exception {
        int count = Integer.parseInt(arguments[0]);
        boolean notify = arguments[1].equals("notify");
        String channel = arguments[2];
        List<String> args = List.of(arguments).subList(3, arguments.length);
        JdbiEventStore store = ProjectionChild.store(args);
        PostgresNotifier notifier = notify ? PostgresNotifier.start(args.get(1), channel) : null;
        EventStore writes = notify ? notifier.notifying(store) : store;
        for (int i = 1; i <= count; i++) {
            writes.append(StreamRef.of("account", "w"), ExpectedVersion.any(), List.of(new Deposited("w", i)));
        }
        System.out.println("done");
        System.out.flush();
        // Keep a trickle of appends (and so of notifications) going until killed: on a busy PostgreSQL a woken
        // reader may not see a commit yet (older transactions still run), and the next notification catches it up.
        for (int i = count + 1; ; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
            writes.append(StreamRef.of("account", "tick"), ExpectedVersion.any(), List.of(new Deposited("tick", i)));
        }
    }
}
