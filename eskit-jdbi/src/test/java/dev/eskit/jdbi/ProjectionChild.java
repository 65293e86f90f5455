package dev.eskit.jdbi;

import dev.eskit.StoredEvent;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.TransactionalHandler;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A transactional balances projection on a store location given as {@code sqlite <url>} or
 * {@code postgres <url> <schema> <prefix>}: the read model (table {@code <q>balances}, plus {@code <q>applied} with
 * one row per applied event) and its checkpoint commit in one transaction of {@link #CHUNK} events.
 */
final class ProjectionChild {

    static final int CHUNK = 25;
    static final String NAME = "balances";

    private ProjectionChild() {
    }

    /** The store at the location. */
    static JdbiEventStore store(List<String> args) {
        JdbiEventStore.Builder builder = JdbiEventStore.builder(TestEvents.codec()).url(args.get(1));
        if (args.get(0).equals("postgres")) {
            builder.schema(args.get(2)).tablePrefix(args.get(3));
        }
        return builder.build();
    }

    /** A Jdbi on the location's database. */
    static Jdbi jdbi(List<String> args) {
        return Jdbi.create(args.get(1));
    }

    /** The qualifier of the read-model tables. */
    static String qualifier(List<String> args) {
        return args.get(0).equals("postgres") ? args.get(2) + "." + args.get(3) : "";
    }

    /** Creates the read-model tables if they are missing. */
    static void createTables(Jdbi jdbi, String q) {
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE IF NOT EXISTS " + q + "balances (account text PRIMARY KEY, cents bigint NOT"
                    + " NULL)");
            handle.execute("CREATE TABLE IF NOT EXISTS " + q + "applied (seq bigint NOT NULL)");
        });
    }

    /** The projection's handler: adds the deposit and records the event's sequence. */
    static TransactionalHandler<Handle> handler(String q) {
        return (handle, event) -> apply(handle, q, event);
    }

    static void apply(Handle handle, String q, StoredEvent<Object> event) {
        Deposited deposited = (Deposited) event.data();
        handle.execute("INSERT INTO " + q + "balances AS b (account, cents) VALUES (?, ?) ON CONFLICT (account)"
                + " DO UPDATE SET cents = b.cents + excluded.cents", deposited.account(), deposited.cents());
        handle.execute("INSERT INTO " + q + "applied (seq) VALUES (?)", event.globalPosition());
    }

    /** The projection as a subscription builder on {@code store}. */
    static Subscription.Builder subscription(JdbiEventStore store, Jdbi jdbi, String q,
                                             TransactionalHandler<Handle> handler) {
        return Subscription.builder(NAME, store, store.checkpoints())
                .eventTypes("test.Deposited")
                .transactional(JdbiTransactor.of(jdbi, store), handler)
                .checkpointEvery(CHUNK)
                .batchSize(100)
                .retry(Backoff.exponential(3, Duration.ofMillis(10), Duration.ofMillis(100)));
    }
}
