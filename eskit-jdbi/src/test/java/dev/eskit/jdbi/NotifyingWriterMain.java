package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.postgres.PostgresNotifier;
import dev.eskit.Metadata;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of the cross-JVM wake-up tests: appends {@code count} events, then prints {@code done} and keeps
 * appending one event every 100 ms until killed. The mode says how it writes: {@code plain} (no notifier),
 * {@code notify} (plain appends through a {@link PostgresNotifier#notifying} view), {@code notify-dcb} (DCB appends on
 * the store, whose commits the notifier follows), {@code notify-import} (raw imports from a second store in the same
 * database). Arguments: {@code <count> <mode> <channel>} then the location arguments of {@link ProjectionChild}.
 */
public final class NotifyingWriterMain {

    private NotifyingWriterMain() {
    }

    /** Appends and waits. */
    public static void main(String[] arguments) throws Exception {
        int count = Integer.parseInt(arguments[0]);
        String mode = arguments[1];
        String channel = arguments[2];
        List<String> args = List.of(arguments).subList(3, arguments.length);
        JdbiEventStore store = ProjectionChild.store(args);
        PostgresNotifier notifier = mode.startsWith("notify") ? PostgresNotifier.start(args.get(1), channel) : null;
        Writer writer = switch (mode) {
            case "notify" -> {
                EventStore writes = notifier.notifying(store);
                yield i -> writes.append(StreamRef.of("account", "w"), ExpectedVersion.any(),
                        List.of(new Deposited("w", i)));
            }
            case "notify-dcb" -> {
                notifier.notifyOn(store);
                yield i -> store.append(List.of(new Deposited("dcb", i)), null, Metadata.empty());
            }
            case "notify-import" -> {
                notifier.notifyOn(store);
                List<String> sourceArgs = new ArrayList<>(args);
                if (args.get(0).equals("postgres")) {
                    sourceArgs.set(3, args.get(3) + "src_");
                    yield importer(store, ProjectionChild.store(sourceArgs));
                }
                yield importer(store, JdbiEventStore.builder(TestEvents.codec()).url(args.get(1)).tablePrefix("src_")
                        .build());
            }
            default -> i -> store.append(StreamRef.of("account", "w"), ExpectedVersion.any(),
                    List.of(new Deposited("w", i)));
        };
        for (int i = 1; i <= count; i++) {
            writer.write(i);
        }
        System.out.println("done");
        System.out.flush();
        // Keep a trickle of writes (and so of notifications) going until killed: on a busy PostgreSQL a woken
        // reader may not see a commit yet (older transactions still run), and the next notification catches it up.
        for (int i = count + 1; ; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(100).toNanos());
            writer.write(i);
        }
    }

    /** Writes event number {@code i}. */
    private interface Writer {
        void write(int i);
    }

    /** Appends each event to a new stream of {@code source}, then imports that stream into {@code target}. */
    private static Writer importer(JdbiEventStore target, JdbiEventStore source) {
        return i -> {
            StreamRef stream = StreamRef.of("imported", "i-" + i);
            source.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("i", i)));
            target.raw().importEvents(source.raw().load(stream, 1, 10));
        };
    }
}
