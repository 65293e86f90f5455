package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.postgres.PostgresNotifier;
import java.util.List;

/**
 * The child process of the cross-JVM wake-up tests: appends {@code count} events, one per append, then prints
 * {@code done} and waits to be killed. With {@code notify <channel>} it appends through a {@link PostgresNotifier}
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
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
