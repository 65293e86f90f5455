package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.Metadata;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.subscription.JdbiTodoStore;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.PersonalDataContract.CrmPersonalData;
import dev.eskit.jdbi.PersonalDataContract.Registered;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * After {@code forget(subject)} no plaintext of the subject's personal data is left in any table eskit writes (events,
 * metadata, snapshots, dead letters, todo items, keys), nor anywhere in the SQLite file and its WAL; a reused subject
 * id works and the log stays readable. Snapshots are sealed and dead letters redacted without any wrapping by the
 * application; metadata extras and todo payloads are sealed with {@code protector.seal}.
 */
abstract class PersonalDataForgetContract {

    /** Profile state of a customer, with personal data (the e-mail). */
    record Profile(String customerId, String email) {
    }

    private static final String SECRET = "zed-secret@example.com";
    private static final String SECRET_IP = "203.0.113.77";
    private static final String SECRET_NOTE = "zed lives at 1 Secret Lane";

    abstract Databases db();

    abstract TableNames tables(Databases.Location location);

    static List<String> tablesWith(Connection raw, TableNames names, String text) throws Exception {
        List<String> hits = new ArrayList<>();
        DatabaseMetaData meta = raw.getMetaData();
        List<String> tables = new ArrayList<>();
        try (ResultSet found = meta.getTables(null, names.schema(), names.prefix() + "%", new String[] {"TABLE"})) {
            while (found.next()) {
                tables.add((names.schema() == null ? "" : names.schema() + ".") + found.getString("TABLE_NAME"));
            }
        }
        assertTrue(tables.size() >= 6, "found the tables: " + tables);
        for (String table : tables) {
            try (Statement statement = raw.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object value = rows.getObject(i);
                        String shown = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                                : String.valueOf(value);
                        if (shown.contains(text)) {
                            hits.add(table + ": " + shown);
                        }
                    }
                }
            }
        }
        return hits;
    }

    @Test
    void forgetLeavesNoPlaintextInAnyTableNorInTheDatabaseFile() throws Exception {
        Databases.Location location = db().newLocation();
        TableNames names = tables(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi, names), MasterKey.generate("m1"));
        PersonalDataProtector protector = PersonalDataProtector.create(keys, new CrmPersonalData());
        JdbiEventStore store = db().track(location.builder(protector.codec(PersonalDataContract.TYPES)).build());

        Decider<Profile, Registered, Registered> decider = Decider.of(() -> new Profile("", ""),
                (state, command) -> List.of(command), (state, event) -> new Profile(event.customerId(), event.email()));
        CommandHandler<Profile, Registered, Registered> handler = CommandHandler.builder(store, decider, "customer")
                .snapshots(store.snapshots(), StateCodec.json(Profile.class), 1)
                .build();
        handler.handle("c-1", new Registered("c-1", SECRET, "gold"), CommandContext.of(Metadata.empty()
                .with("ip", protector.seal("c-1", SECRET_IP))));
        handler.handle("c-1", new Registered("c-1", SECRET, "platinum"));
        handler.handle("c-2", new Registered("c-2", "bob@example.com", "free"));

        Snapshot sealed = store.snapshots().load(StreamRef.of("customer", "c-1")).orElseThrow();
        assertTrue(sealed.schema().endsWith("+pds"), sealed.schema());
        JdbiTodoStore todos = JdbiTodoStore.create(jdbi, store);
        assertTrue(todos.add("mail", "note-c-1", protector.seal("c-1", SECRET_NOTE)));
        assertEquals(SECRET_NOTE, protector.open(todos.find("mail", "note-c-1").orElseThrow().payload()));
        // A worker that fails with the opened text in its message: the store withholds the message.
        var claim = todos.claim("mail", "w1", 1, Duration.ofMinutes(1)).get(0);
        assertTrue(todos.fail(claim, "java.lang.IllegalStateException: cannot mail "
                + protector.open(claim.item().payload()), java.time.Instant.now()));
        assertEquals("java.lang.IllegalStateException (message withheld: the item's payload carries sealed personal"
                + " data)", todos.find("mail", "note-c-1").orElseThrow().lastError());
        assertEquals(SECRET_IP, protector.open(store.load(StreamRef.of("customer", "c-1")).get(0).metadata()
                .extras().get("ip")));

        // No wrapping: the dead-letter store of a protected event store redacts by itself.
        var letters = JdbiDeadLetterStore.create(jdbi, store);
        try (Subscription failing = Subscription.builder("mailer", store, store.checkpoints()).deadLetters(letters)
                .retry(Backoff.noRetry())
                .handler(event -> {
                    throw new IllegalStateException("cannot handle " + event.data());
                }).build().start()) {
            assertTrue(failing.awaitCaughtUp(Duration.ofSeconds(30)));
            List<DeadLetter> parked = failing.deadLetters();
            assertEquals(3, parked.size());
            parked.forEach(letter -> assertFalse(letter.error().contains("@example.com"), letter.error()));
        }
        try (Connection raw = location.rawConnection()) {
            for (String secret : List.of(SECRET, SECRET_IP, SECRET_NOTE)) {
                assertEquals(List.of(), tablesWith(raw, names, secret), "nothing in clear even before the forget");
            }
        }

        assertEquals(1, protector.forget("c-1"));
        StreamRef customer = StreamRef.of("customer", "c-1");
        store.load(customer).forEach(e -> assertEquals(FieldCipher.ERASED, ((Registered) e.data()).email()));
        assertEquals(FieldCipher.ERASED, protector.open(store.load(customer).get(0).metadata().extras().get("ip")));
        assertEquals(FieldCipher.ERASED, protector.open(todos.find("mail", "note-c-1").orElseThrow().payload()));
        // The id used again: a fresh key; old events stay erased, new ones read, every reader keeps working.
        assertEquals("new@example.com", handler.handle("c-1", new Registered("c-1", "new@example.com", "gold"))
                .state().email());
        List<StoredEvent<Object>> log = store.readAll(Position.START, 100);
        assertEquals(4, log.size());
        assertEquals(FieldCipher.ERASED, ((Registered) log.get(0).data()).email());
        assertEquals("bob@example.com", ((Registered) log.get(2).data()).email());
        assertEquals("new@example.com", ((Registered) log.get(3).data()).email());

        try (Connection raw = location.rawConnection()) {
            for (String secret : List.of(SECRET, SECRET_IP, SECRET_NOTE)) {
                assertEquals(List.of(), tablesWith(raw, names, secret));
            }
            assertNotInDatabaseFiles(raw, List.of(SECRET, SECRET_IP, SECRET_NOTE));
        }
    }

    /** On SQLite: none of {@code secrets} in the database file or its WAL. */
    static void assertNotInDatabaseFiles(Connection raw, List<String> secrets) throws Exception {
        String url = raw.getMetaData().getURL();
        if (!url.startsWith("jdbc:sqlite:")) {
            return;
        }
        Path file = Path.of(url.substring("jdbc:sqlite:".length()));
        for (Path part : List.of(file, Path.of(file + "-wal"))) {
            if (Files.exists(part)) {
                String bytes = new String(Files.readAllBytes(part), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertFalse(bytes.contains(secret), part + " holds the plaintext " + secret);
                }
            }
        }
    }
}
