package dev.eskit.docs.gdpr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandHandler;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSubjectKeyStore;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.Subscription;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/gdpr.md: the records are in this module's main sources; wiring and forgetting on SQLite. */
class GdprGuideExamplesTest {

    private static byte[] loadFromYourSecretManager() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void personalFieldsAreStoredEncryptedAndReadAsErasedOnceTheSubjectIsForgotten(@TempDir Path dir) {
        String keysUrl = "jdbc:sqlite:" + dir.resolve("keys.db");
        String url = "jdbc:sqlite:" + dir.resolve("events.db");

        // As on the page:
        MasterKey master = MasterKey.of("2026-11", loadFromYourSecretManager());      // 32 bytes, AES-256
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(Jdbi.create(keysUrl)), master);
        PersonalDataProtector protector = PersonalDataProtector.discover(keys);        // finds the generated registries
        try (JdbiEventStore store = JdbiEventStore.sqlite(url, protector.codec(EventTypes.discover()))) {
            StreamRef customer = StreamRef.of("customer", "customer-42");
            store.append(customer, ExpectedVersion.noStream(), List.of(
                    new CustomerRegistered("customer-42", "ada@example.com", "Ada", 1990, "pro"),
                    new ReferralMade("customer-42", "customer-43", "bob@example.com")));

            String stored = store.raw().readAll(Position.START, 10, java.util.Set.of()).get(0).dataText();
            assertFalse(stored.contains("ada@example.com"), stored);
            assertEquals(new CustomerRegistered("customer-42", "ada@example.com", "Ada", 1990, "pro"),
                    store.load(customer).get(0).data());

            protector.forget("customer-42");    // or keys.forget(...)

            assertEquals(new CustomerRegistered("customer-42", "[erased]", "[erased]", null, "pro"),
                    store.load(customer).get(0).data());
            // The friend's data is another subject's: still readable.
            assertEquals(new ReferralMade("customer-42", "customer-43", "bob@example.com"),
                    store.load(customer).get(1).data());
        }
    }

    /** A customer's state, holding personal data (docs/gdpr.md, "Everything else eskit writes"). */
    record Customer(String id, String email) {
    }

    private static void send(dev.eskit.StoredEvent<Object> event) {
        throw new IllegalStateException("mail server down, cannot send " + event.data());
    }

    @Test
    void snapshotsAndDeadLettersKeepNoPlaintext(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("events.db");
        Jdbi jdbi = Jdbi.create(url);
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(Jdbi.create("jdbc:sqlite:"
                + dir.resolve("keys.db"))), MasterKey.of("2026-11", loadFromYourSecretManager()));
        PersonalDataProtector protector = PersonalDataProtector.discover(keys);
        try (JdbiEventStore store = JdbiEventStore.sqlite(url, protector.codec(EventTypes.discover()))) {
            Decider<Customer, CustomerRegistered, CustomerEvent> decider = Decider.of(() -> new Customer("", ""),
                    (state, command) -> List.of(command),
                    (state, event) -> event instanceof CustomerRegistered r ? new Customer(r.customerId(), r.email())
                            : state);
            // As on the page:
            CommandHandler<Customer, CustomerRegistered, CustomerEvent> handler = CommandHandler.builder(store, decider,
                    "customer")
                .snapshots(store.snapshots(), StateCodec.json(Customer.class), 100)   // sealed automatically
                .build();
            Subscription mailer = Subscription.builder("mailer", store, store.checkpoints())
                .deadLetters(JdbiDeadLetterStore.create(jdbi, store))                // redacts automatically
                .handler(event -> send(event))
                .retry(Backoff.noRetry())
                .build();
            // Free text eskit cannot recognise as personal: seal it under its subject.
            Metadata metadata = Metadata.empty().with("ip", protector.seal("customer-42", "203.0.113.9"));

            handler.handle("customer-42", new CustomerRegistered("customer-42", "ada@example.com", "Ada", 1990, "pro"),
                    CommandContext.of(metadata));
            String ip = protector.open(store.load(StreamRef.of("customer", "customer-42")).get(0).metadata().extras()
                    .get("ip"));
            assertEquals("203.0.113.9", ip);
            assertEquals(1, handler.rebuildSnapshot("customer-42"));
            assertTrue(store.snapshots().load(StreamRef.of("customer", "customer-42")).orElseThrow().schema()
                    .endsWith("+pds"), "sealed under customer-42's key");
            mailer.start();
            assertTrue(mailer.awaitCaughtUp(java.time.Duration.ofSeconds(30)));
            mailer.stop();
            assertEquals(1, mailer.deadLetters().size());
            assertFalse(mailer.deadLetters().get(0).error().contains("ada@"), mailer.deadLetters().get(0).error());
        }
    }

    @Test
    void markedMetadataAndTodoItemsAreSealedWithoutHandWork(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("events.db");
        Jdbi jdbi = Jdbi.create(url);
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(Jdbi.create("jdbc:sqlite:"
                + dir.resolve("keys.db"))), MasterKey.of("2026-11", loadFromYourSecretManager()));
        CustomerRegistered registered = new CustomerRegistered("customer-42", "ada@example.com", "Ada", 1990, "pro");
        // As on the page:
        PersonalDataProtector protector = PersonalDataProtector.discover(keys).personalMetadata("ip");
        try (JdbiEventStore store = JdbiEventStore.sqlite(url, protector.codec(EventTypes.discover()))) {
            Metadata metadata = Metadata.empty().withInitiator("customer-42").with("ip", "203.0.113.9");
            store.append(dev.eskit.AppendRequest.of(StreamRef.of("customer", "customer-42"),
                    dev.eskit.ExpectedVersion.noStream(), List.of(registered)).withMetadata(metadata));
            assertEquals("203.0.113.9", store.load(StreamRef.of("customer", "customer-42")).get(0).metadata()
                    .extras().get("ip"));
            dev.eskit.gdpr.PersonalTodoStore todos = protector.todos(
                    dev.eskit.jdbi.subscription.JdbiTodoStore.create(jdbi, store));
            todos.add("mail", "welcome-42", "customer-42", "ada@example.com");
            assertFalse(todos.delegate().find("mail", "welcome-42").orElseThrow().payload().contains("ada@"));
            assertEquals("ada@example.com", todos.find("mail", "welcome-42").orElseThrow().payload());
            protector.forget("customer-42");
            assertEquals(dev.eskit.gdpr.FieldCipher.ERASED, store.load(StreamRef.of("customer", "customer-42"))
                    .get(0).metadata().extras().get("ip"));
            assertEquals(dev.eskit.gdpr.FieldCipher.ERASED, todos.find("mail", "welcome-42").orElseThrow().payload());
        }
    }
}
