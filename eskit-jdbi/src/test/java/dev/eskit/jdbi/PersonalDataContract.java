package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.ExpectedVersion;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.PersonalDataRegistry;
import dev.eskit.gdpr.PersonalDataTamperedException;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.gdpr.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Crypto-shredding end to end on a database: ciphertext in the rows, erasure by forgetting, tamper detection. */
abstract class PersonalDataContract {

    record Registered(String customerId, String email, String plan) {
    }

    /** Written the way the processor generates it. */
    static final class CrmPersonalData implements PersonalDataRegistry {
        @Override
        public Set<String> eventTypes() {
            return Set.of("crm.Registered");
        }

        @Override
        public void encrypt(String eventType, ObjectNode data, FieldCipher cipher) {
            String subject = FieldCipher.subject(data, "customerId", eventType);
            cipher.encrypt(data, "email", subject);
        }

        @Override
        public void decrypt(String eventType, ObjectNode data, FieldCipher cipher) {
            cipher.decrypt(data, "email", FieldCipher.ERASED_TEXT);
        }
    }

    static final EventTypes TYPES = EventTypes.builder().add("crm.Registered", Registered.class).build();

    abstract Databases db();

    /** The key tables for a location (same database as the events). */
    abstract TableNames keyTables(Databases.Location location);

    /** The events table of a location. */
    abstract String eventsTable(Databases.Location location);

    private Databases.Location location;
    private SubjectKeyStore keyStore;
    private SubjectKeys keys;
    private JdbiEventStore store;

    private void open() {
        location = db().newLocation();
        keyStore = JdbiSubjectKeyStore.create(Jdbi.create(location.dataSource()), keyTables(location));
        keys = SubjectKeys.create(keyStore, MasterKey.generate("m1"));
        store = db().track(location.builder(PersonalDataProtector.create(keys, new CrmPersonalData())
                .codec(TYPES)).build());
    }

    private List<String> rawData() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = location.rawConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT data FROM "
                     + eventsTable(location) + " ORDER BY seq")) {
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new String(result.getBytes(1), StandardCharsets.UTF_8));
                }
            }
        }
        return rows;
    }

    private Registered load(String id) {
        return (Registered) store.load(StreamRef.of("customer", id)).get(0).data();
    }

    @Test
    void personalDataIsStoredEncryptedAndForgettingErasesOnlyThatSubject() throws Exception {
        open();
        store.append(StreamRef.of("customer", "c-1"), ExpectedVersion.noStream(),
                List.of(new Registered("c-1", "ann@example.com", "gold")));
        store.append(StreamRef.of("customer", "c-2"), ExpectedVersion.noStream(),
                List.of(new Registered("c-2", "bob@example.com", "free")));
        List<String> rows = rawData();
        assertEquals(2, rows.size());
        rows.forEach(row -> assertFalse(row.contains("@example.com"), row));
        assertTrue(rows.get(0).contains("gold"));

        assertEquals("ann@example.com", load("c-1").email());
        assertEquals(1, keys.forget("c-1"));
        assertEquals(new Registered("c-1", FieldCipher.ERASED, "gold"), load("c-1"));
        assertEquals("bob@example.com", load("c-2").email());
    }

    @Test
    void tamperedCiphertextInTheDatabaseFailsTheRead() throws Exception {
        open();
        store.append(StreamRef.of("customer", "c-1"), ExpectedVersion.noStream(),
                List.of(new Registered("c-1", "ann@example.com", "gold")));
        String row = rawData().get(0);
        int at = row.indexOf("\"d\":\"") + 10;
        char flipped = row.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = row.substring(0, at) + flipped + row.substring(at + 1);
        try (Connection connection = location.rawConnection();
             PreparedStatement statement = connection.prepareStatement("UPDATE " + eventsTable(location)
                     + " SET data = ?")) {
            statement.setBytes(1, tampered.getBytes(StandardCharsets.UTF_8));
            assertEquals(1, statement.executeUpdate());
        }
        assertThrows(PersonalDataTamperedException.class, () -> load("c-1"));
    }

    @Test
    void theKeyTableKeepsVersionsRefusesDuplicatesAndRewraps() {
        open();
        WrappedKey first = new WrappedKey("s", 1, "m0", new byte[] {1, 2, 3});
        assertTrue(keyStore.insert(first));
        assertFalse(keyStore.insert(new WrappedKey("s", 1, "m0", new byte[] {9})));
        assertTrue(keyStore.insert(new WrappedKey("s", 2, "m0", new byte[] {4})));
        assertEquals(2, keyStore.latest("s").orElseThrow().version());
        assertEquals(first, keyStore.find("s", 1).orElseThrow());
        assertEquals(2, keyStore.wrappedByOtherThan("m1", 10).size());
        assertTrue(keyStore.replace(new WrappedKey("s", 1, "m1", new byte[] {7})));
        assertEquals(1, keyStore.wrappedByOtherThan("m1", 10).size());
        assertEquals(2, keyStore.forget("s"));
        assertTrue(keyStore.latest("s").isEmpty());
        assertFalse(keyStore.replace(first));
    }

    @Test
    void rotatedSubjectKeysAndRewrappedMasterKeysKeepEventsReadable() {
        open();
        store.append(StreamRef.of("customer", "c-1"), ExpectedVersion.noStream(),
                List.of(new Registered("c-1", "ann@example.com", "gold")));
        assertEquals(2, keys.rotate("c-1"));
        store.append(StreamRef.of("customer", "c-1"), ExpectedVersion.exactly(1),
                List.of(new Registered("c-1", "ann@new.example", "gold")));
        MasterKey next = MasterKey.generate("m2");
        SubjectKeys rotated = SubjectKeys.create(keyStore, next, MasterKey.generate("unused"));
        // The old master is needed to unwrap; without it re-wrapping fails loudly and changes nothing.
        assertThrows(dev.eskit.gdpr.KeyManagementException.class, () -> rotated.rewrap(10));
        assertEquals(2, keyStore.wrappedByOtherThan("m2", 10).size());
        List<StoredEvent<Object>> events = store.load(StreamRef.of("customer", "c-1"));
        assertEquals("ann@example.com", ((Registered) events.get(0).data()).email());
        assertEquals("ann@new.example", ((Registered) events.get(1).data()).email());
    }
}
