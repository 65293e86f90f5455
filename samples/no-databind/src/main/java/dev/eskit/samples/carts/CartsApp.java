package dev.eskit.samples.carts;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.StreamingEventCodec;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.JdbiEventStore;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The no-databind sample: a cart on SQLite whose events go through {@link StreamingEventCodec} and whose snapshots go
 * through the generated {@code CartsCodecs.CART_STATE_SNAPSHOTS}. Its Maven build excludes jackson-databind, so this
 * runs (and its test passes) only because nothing on the way needs reflection-based Jackson.
 *
 * <pre>{@code mvn -q -pl samples/no-databind -am compile exec:java}</pre>
 */
public final class CartsApp {

    private CartsApp() {
    }

    /**
     * What a run did.
     *
     * @param databindPresent whether jackson-databind is on the class path (it should not be)
     * @param state           the cart's final state, loaded from a snapshot plus the events after it
     * @param eventsInLog     how many events the global log holds
     * @param snapshotSchema  the schema of the cart's snapshots
     */
    public record Summary(boolean databindPresent, CartState state, long eventsInLog, String snapshotSchema) {
    }

    /** Runs the sample against {@code args[0]} (a SQLite JDBC URL). */
    public static void main(String[] args) {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        run(args.length > 0 ? args[0] : "jdbc:sqlite:target/carts.db", "cart-" + System.nanoTime(), System.out);
    }

    /** Fills cart {@code cartId} in the store at {@code url}, checks it out, and reads it back. */
    public static Summary run(String url, String cartId, PrintStream out) {
        // A class-path resource lookup, not reflection: is databind's main class there at all?
        boolean databind = CartsApp.class.getClassLoader()
                .getResource("com/fasterxml/jackson/databind/ObjectMapper.class") != null;
        out.println("jackson-databind on the class path: " + databind);
        EventTypes types = EventTypes.discover();
        try (JdbiEventStore store = JdbiEventStore.builder(StreamingEventCodec.json(types)).url(url).build()) {
            CommandHandler<CartState, CartCommand, CartEvent> carts = CommandHandler
                    .builder(store, new CartDecider(), "cart")
                    .snapshots(store.snapshots(), CartsCodecs.CART_STATE_SNAPSHOTS, 2)
                    .build();
            carts.handle(cartId, new CartCommand.AddItem(cartId, "tea", 2, new BigDecimal("3.50")));
            carts.handle(cartId, new CartCommand.AddItem(cartId, "mug", 1, new BigDecimal("12.00")));
            carts.handle(cartId, new CartCommand.AddItem(cartId, "tea", 1, new BigDecimal("3.50")));
            CartState state = carts.handle(cartId, new CartCommand.CheckOut(cartId,
                    Instant.parse("2026-12-02T09:00:00Z"))).state();
            out.println("cart " + cartId + ": " + state);
            List<StoredEvent<Object>> events = store.load(StreamRef.of("cart", cartId));
            events.forEach(e -> out.println("  " + e.version() + " " + e.eventType() + " " + e.data()));
            long inLog = store.readAll(Position.START, 10_000).size();
            return new Summary(databind, state, inLog, CartsCodecs.CART_STATE_SNAPSHOTS.schema());
        }
    }
}
