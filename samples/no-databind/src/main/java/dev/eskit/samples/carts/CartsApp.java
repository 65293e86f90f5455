package dev.eskit.samples.carts;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandHandler;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSubjectKeyStore;
import dev.eskit.jdbi.RawEvent;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The no-databind sample: a cart on SQLite whose events go through {@link dev.eskit.codec.StreamingEventCodec}
 * (with {@code @PersonalData} encrypted by {@link PersonalDataProtector#streamingCodec}, and an older event version
 * upcast on {@link dev.eskit.codec.JsonObject}) and whose snapshots go through the generated
 * {@code CartsCodecs.CART_STATE_SNAPSHOTS}. Its Maven build excludes jackson-databind, so this
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
     * @param legacy          the events of a cart written by an older release (ItemAdded version 1), as loaded now
     * @param storedCheckout  the stored JSON of the checkout event (its email encrypted)
     * @param emailRead       the checkout's email as read back before the customer was forgotten
     * @param emailForgotten  the same after {@code forget(customerId)}
     */
    public record Summary(boolean databindPresent, CartState state, long eventsInLog, String snapshotSchema,
                          List<Object> legacy, String storedCheckout, String emailRead, String emailForgotten) {
    }

    /** A fixed demo master key: a real application loads its own from a secret store. */
    private static MasterKey demoKey() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        return MasterKey.of("no-databind-demo", key);
    }

    /** Runs the sample against {@code args[0]} (a SQLite JDBC URL). */
    public static void main(String[] args) {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        run(args.length > 0 ? args[0] : "jdbc:sqlite:target/carts.db", "cart-" + System.nanoTime(), System.out);
    }

    /**
     * Imports a cart as an older release stored it (ItemAdded in schema version 1, price as {@code "price"}) and loads
     * it: the generated chain runs {@link CartUpcasts#priceRenamed} on {@link dev.eskit.codec.JsonObject}.
     */
    static List<Object> legacyCart(JdbiEventStore store, String cartId) {
        byte[] v1 = ("{\"cartId\":\"" + cartId + "\",\"sku\":\"pot\",\"quantity\":1,\"price\":24.90}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        store.raw().importEvents(List.of(new RawEvent(UUID.randomUUID(), StreamRef.of("cart", cartId), 1,
                "carts.ItemAdded", 1, Position.START, Instant.parse("2025-01-01T00:00:00Z"), null, v1)));
        return store.load(StreamRef.of("cart", cartId)).stream().map(StoredEvent::data).toList();
    }

    /** Fills cart {@code cartId} in the store at {@code url}, checks it out, and reads it back. */
    public static Summary run(String url, String cartId, PrintStream out) {
        // A class-path resource lookup, not reflection: is databind's main class there at all?
        boolean databind = CartsApp.class.getClassLoader()
                .getResource("com/fasterxml/jackson/databind/ObjectMapper.class") != null;
        out.println("jackson-databind on the class path: " + databind);
        EventTypes types = EventTypes.discover();
        // Keys live in the same SQLite file (table eskit_subject_keys); @PersonalData is encrypted on JsonObject.
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(Jdbi.create(url)), demoKey());
        PersonalDataProtector protector = PersonalDataProtector.discover(keys);
        try (JdbiEventStore store = JdbiEventStore.builder(protector.streamingCodec(types)).url(url).build()) {
            CommandHandler<CartState, CartCommand, CartEvent> carts = CommandHandler
                    .builder(store, new CartDecider(), "cart")
                    .snapshots(store.snapshots(), CartsCodecs.CART_STATE_SNAPSHOTS, 2)
                    .build();
            carts.handle(cartId, new CartCommand.AddItem(cartId, "tea", 2, new BigDecimal("3.50")));
            carts.handle(cartId, new CartCommand.AddItem(cartId, "mug", 1, new BigDecimal("12.00")));
            carts.handle(cartId, new CartCommand.AddItem(cartId, "tea", 1, new BigDecimal("3.50")));
            String customer = "customer-" + cartId;
            CartState state = carts.handle(cartId, new CartCommand.CheckOut(cartId, customer, "ann@example.com",
                    Instant.parse("2026-12-02T09:00:00Z"))).state();
            out.println("cart " + cartId + ": " + state);
            List<StoredEvent<Object>> events = store.load(StreamRef.of("cart", cartId));
            events.forEach(e -> out.println("  " + e.version() + " " + e.eventType() + " " + e.data()));
            List<Object> legacy = legacyCart(store, "legacy-" + cartId);
            out.println("legacy cart, stored as ItemAdded version 1, upcast without databind: " + legacy);
            String stored = new String(store.raw().load(StreamRef.of("cart", cartId), 4, 1).get(0).data(),
                    java.nio.charset.StandardCharsets.UTF_8);
            out.println("stored checkout: " + stored);
            String email = ((CartEvent.CheckedOut) events.get(3).data()).email();
            protector.forget(customer);
            String forgotten = ((CartEvent.CheckedOut) store.load(StreamRef.of("cart", cartId)).get(3).data()).email();
            out.println("email read back: " + email + ", after forget(" + customer + "): " + forgotten);
            long inLog = store.readAll(Position.START, 10_000).size();
            return new Summary(databind, state, inLog, CartsCodecs.CART_STATE_SNAPSHOTS.schema(), legacy, stored,
                    email, forgotten);
        }
    }
}
