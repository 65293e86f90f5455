package dev.eskit.samples.carts;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.Metadata;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandHandler;
import dev.eskit.command.CommandRouteRegistry;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandRecorder;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSubjectKeyStore;
import dev.eskit.jdbi.RawEvent;
import dev.eskit.jdbi.command.JdbiCommandLog;
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
 * {@code CartsCodecs.CART_STATE_SNAPSHOTS}, with its commands logged by {@link JdbiCommandLog} in the same SQLite
 * file, and a second cart's commands run through the durable command queue there ({@link QueuedCarts}). Its Maven build excludes jackson-databind, so this
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
     * @param storedCommand   the checkout command's payload as the command log stores it (its email encrypted)
     * @param commandRead     the same payload decrypted ({@code recorder.readablePayload}) before the forget
     * @param commandForgotten the same after the forget
     * @param storedMetadata  the checkout event's stored metadata (its personal extra {@code ip} sealed)
     * @param ipRead          the checkout event's {@code ip} extra as loaded before the forget
     * @param loggedExtras    the checkout's metadata extras as a new reader of the SQLite command log table reads them
     * @param queued          what the durable command queue on the same SQLite file did ({@link QueuedCarts})
     */
    public record Summary(boolean databindPresent, CartState state, long eventsInLog, String snapshotSchema,
                          List<Object> legacy, String storedCheckout, String emailRead, String emailForgotten,
                          String storedCommand, String commandRead, String commandForgotten, String storedMetadata,
                          String ipRead, java.util.Map<String, String> loggedExtras, QueuedCarts.Run queued) {
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
     * it: the generated chain runs {@link CartUpcasts#priceRenamed} on {@link dev.eskit.codec.JsonObject}, then the
     * typed {@link CartUpcasts#currencyAdded} through generated codecs.
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
        // Personal metadata too: the "ip" extra is sealed under the initiator's key in events and the command log.
        PersonalDataProtector protector = PersonalDataProtector.discover(keys).personalMetadata("ip");
        try (JdbiEventStore store = JdbiEventStore.builder(protector.streamingCodec(types)).url(url).build()) {
            CommandHandler<CartState, CartCommand, CartEvent> carts = CommandHandler
                    .builder(store, new CartDecider(), "cart")
                    .snapshots(store.snapshots(), CartsCodecs.CART_STATE_SNAPSHOTS, 2)
                    .build();
            carts.handle(cartId, new CartCommand.AddItem(cartId, "tea", 2, new BigDecimal("3.50")));
            carts.handle(cartId, new CartCommand.AddItem(cartId, "mug", 1, new BigDecimal("12.00")));
            carts.handle(cartId, new CartCommand.AddItem(cartId, "tea", 1, new BigDecimal("3.50")));
            String customer = "customer-" + cartId;
            // The checkout goes through a bus with a command log in the same SQLite file (table eskit_command_log),
            // written in the transaction of the command's events; its metadata extras are JSON without databind.
            CommandRecorder recorder = CommandRecorder.of(JdbiCommandLog.create(Jdbi.create(url), store),
                    CommandTypes.discover()).personalData(protector);
            CommandBus bus = CommandBus.builder(store).register(CommandRouteRegistry.discover()).commandLog(recorder)
                    .build();
            CommandContext checkout = CommandContext.of(Metadata.empty().withInitiator(customer)
                    .with("ip", "203.0.113.9"));
            CartState state = (CartState) bus.send(new CartCommand.CheckOut(cartId, customer, "ann@example.com",
                    Instant.parse("2026-12-02T09:00:00Z")), checkout).state();
            CommandLogEntry entry = recorder.log().find(checkout.commandId()).orElseThrow();
            String commandRead = recorder.readablePayload(entry);
            // Read back from the table by another log instance: the row really is in SQLite.
            java.util.Map<String, String> loggedExtras = JdbiCommandLog.reader(Jdbi.create(url), store.tableNames())
                    .find(checkout.commandId()).orElseThrow().metadata().extras();
            out.println("cart " + cartId + ": " + state);
            List<StoredEvent<Object>> events = store.load(StreamRef.of("cart", cartId));
            events.forEach(e -> out.println("  " + e.version() + " " + e.eventType() + " " + e.data()));
            List<Object> legacy = legacyCart(store, "legacy-" + cartId);
            out.println("legacy cart, stored as ItemAdded version 1, upcast without databind: " + legacy);
            String stored = new String(store.raw().load(StreamRef.of("cart", cartId), 4, 1).get(0).data(),
                    java.nio.charset.StandardCharsets.UTF_8);
            out.println("stored checkout: " + stored);
            String storedMetadata = new String(store.raw().load(StreamRef.of("cart", cartId), 4, 1).get(0).metadata(),
                    java.nio.charset.StandardCharsets.UTF_8);
            String ip = events.get(3).metadata().extras().get("ip");
            String email = ((CartEvent.CheckedOut) events.get(3).data()).email();
            protector.forget(customer);
            String commandForgotten = recorder.readablePayload(recorder.log().find(checkout.commandId())
                    .orElseThrow());
            String forgotten = ((CartEvent.CheckedOut) store.load(StreamRef.of("cart", cartId)).get(3).data()).email();
            out.println("email read back: " + email + ", after forget(" + customer + "): " + forgotten);
            // The durable command queue in the same file: payloads, metadata and outcomes without databind too.
            QueuedCarts.Run queued = QueuedCarts.run(store, url, bus, "queued-" + cartId, "queued-" + customer);
            out.println("queued cart, run by the command queue: " + queued.statuses() + " " + queued.events());
            long inLog = store.readAll(Position.START, 10_000).size();
            return new Summary(databind, state, inLog, CartsCodecs.CART_STATE_SNAPSHOTS.schema(), legacy, stored,
                    email, forgotten, entry.payload(), commandRead, commandForgotten, storedMetadata, ip, loggedExtras,
                    queued);
        }
    }
}
