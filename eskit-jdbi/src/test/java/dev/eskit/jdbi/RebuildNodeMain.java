package dev.eskit.jdbi;

import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.jdbi.subscription.JdbiTableSwap;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.projection.rebuild.RebuildRequestWatcher;
import dev.eskit.projection.rebuild.ShadowRebuild;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An application node that serves rebuild requests of a balances projection ("balances", table {@code <q>balances},
 * {@code factor} x cents per deposit): runs the live projection and a {@link RebuildRequestWatcher}. Arguments:
 * {@code <node> <factor> <shadow-micros-per-event> <lease-ms>} then the location ({@code sqlite <url>} or
 * {@code postgres <url> <schema> <prefix>}). The shadow's handler spends {@code shadow-micros-per-event} per event (the
 * work of a heavier projection), so that a test can kill the node mid-rebuild. Prints {@code ready}, and
 * {@code swapped} after a swap.
 */
public final class RebuildNodeMain {

    private RebuildNodeMain() {
    }

    /** The projection, version {@code factor}. */
    static ShadowRebuild<Handle> projection(JdbiEventStore store, Jdbi jdbi, String q, long factor, long shadowMicros) {
        String live = q + "balances";
        return ShadowRebuild.builder("balances", store, store.checkpoints(), JdbiTransactor.of(jdbi, store),
                        JdbiTableSwap.create())
                .tables(live)
                .create((handle, names) -> handle.execute("CREATE TABLE " + names.apply(live)
                        + " (account text PRIMARY KEY, cents bigint NOT NULL)"))
                .handler(names -> (handle, event) -> {
                    if (!names.apply(live).equals(live) && shadowMicros > 0) {
                        LockSupport.parkNanos(shadowMicros * 1000);
                    }
                    Deposited d = (Deposited) event.data();
                    handle.execute("INSERT INTO " + names.apply(live) + " AS b (account, cents) VALUES (?, ?)"
                            + " ON CONFLICT (account) DO UPDATE SET cents = b.cents + excluded.cents", d.account(),
                            d.cents() * factor);
                })
                .subscription(s -> s.eventTypes("test.Deposited").batchSize(50).checkpointEvery(20)
                        .pollInterval(Duration.ofMillis(50)))
                .progressEvery(Duration.ofMillis(100))
                .build();
    }

    /** Runs the node until killed or until stdin closes. */
    public static void main(String[] arguments) throws Exception {
        String node = arguments[0];
        long factor = Long.parseLong(arguments[1]);
        long shadowMicros = Long.parseLong(arguments[2]);
        Duration lease = Duration.ofMillis(Long.parseLong(arguments[3]));
        List<String> args = List.of(arguments).subList(4, arguments.length);
        JdbiEventStore store = ProjectionChild.store(args);
        Jdbi jdbi = ProjectionChild.jdbi(args);
        ShadowRebuild<Handle> rebuild = projection(store, jdbi, ProjectionChild.qualifier(args), factor,
                shadowMicros);
        AtomicReference<Subscription> live = new AtomicReference<>(rebuild.subscription().build().start());
        RebuildRequestWatcher watcher = RebuildRequestWatcher.builder(JdbiRebuildRequests.create(jdbi, store), node)
                .projection(rebuild, live::get, rebuilt -> {
                    live.set(rebuilt);
                    System.out.println("swapped");
                    System.out.flush();
                })
                .pollEvery(Duration.ofMillis(100)).lease(lease).start();
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            continue;
        }
        watcher.close();
        live.get().stop();
        store.close();
    }
}
