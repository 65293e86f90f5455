package dev.eskit.gdpr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.gdpr.CustomerPersonalData.Registered;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PersonalDataProtectorTest {

    record Other(String id) {
    }

    private static final EventTypes TYPES = EventTypes.builder()
            .add("crm.Registered", Registered.class)
            .add("crm.Other", Other.class)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubjectKeyStore store = SubjectKeyStore.inMemory();
    private final MasterKey master = MasterKey.generate("m1");
    private final SubjectKeys keys = SubjectKeys.create(store, master);
    private final PersonalDataProtector protector = PersonalDataProtector.create(keys, new CustomerPersonalData());
    private final JsonEventCodec codec = protector.codec(TYPES);

    private Registered roundTrip(EncodedEvent encoded) {
        return (Registered) codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data());
    }

    private static ObjectNode tree(EncodedEvent encoded) throws Exception {
        return (ObjectNode) JSON.readTree(encoded.data());
    }

    @Test
    void personalFieldsAreStoredEncryptedAndReadBackInClear() throws Exception {
        Registered event = new Registered("c-1", "ann@example.com", 41, "gold");
        EncodedEvent encoded = codec.encode(event);
        String stored = new String(encoded.data(), StandardCharsets.UTF_8);
        assertFalse(stored.contains("ann@example.com"), stored);
        // Not contains("41"): random base64 ciphertext may hold those two characters.
        assertFalse(stored.contains("\"age\":41"), stored);
        ObjectNode tree = tree(encoded);
        assertTrue(tree.get("age").isObject(), stored);
        assertEquals("gold", tree.get("plan").asText());
        assertEquals("c-1", tree.get("customerId").asText());
        assertEquals("c-1", tree.get("email").get("s").asText());
        assertEquals(event, roundTrip(encoded));
    }

    /**
     * Outside tenants a subject id may not hold "::": a tenant's subject keys are "<tenant>::<subject>", so
     * "beta::c-7" outside any tenant would share tenant beta's key of c-7 (and forget it). On a tenant's stream the
     * tenant's own ids may hold it.
     */
    @Test
    void aSubjectIdOutsideTenantsMayNotNameATenantsSubject() {
        dev.eskit.codec.EventContext onBeta = new dev.eskit.codec.EventContext(java.util.UUID.randomUUID(),
                dev.eskit.StreamRef.of("beta::customer", "c-7"), 1, null);
        EncodedEvent beta = codec.encode(new Registered("c-7", "beta@example.com", 30, "p"), onBeta);
        dev.eskit.codec.EventContext outside = new dev.eskit.codec.EventContext(java.util.UUID.randomUUID(),
                dev.eskit.StreamRef.of("customer", "x1"), 1, null);
        dev.eskit.InvalidInputException refused = assertThrows(dev.eskit.InvalidInputException.class,
                () -> codec.encode(new Registered("beta::c-7", "global@example.com", 30, "p"), outside));
        assertTrue(refused.getMessage().contains("contains \"::\""), refused.getMessage());
        assertThrows(dev.eskit.InvalidInputException.class,
                () -> codec.encode(new Registered("beta::c-7", "global@example.com", 30, "p")));
        assertThrows(dev.eskit.InvalidInputException.class, () -> protector.forget("beta::c-7"));
        assertThrows(dev.eskit.InvalidInputException.class, () -> protector.seal("beta::c-7", "x"));
        assertEquals("beta@example.com", ((Registered) codec.decode(beta.type(), beta.schemaVersion(), beta.data(),
                onBeta)).email(), "not forgotten");

        // A tenant's own ids may hold it: its keys are "beta::x::y".
        dev.eskit.codec.EventContext own = new dev.eskit.codec.EventContext(java.util.UUID.randomUUID(),
                dev.eskit.StreamRef.of("beta::customer", "c-8"), 1, null);
        codec.encode(new Registered("x::y", "own@example.com", 30, "p"), own);
        assertEquals(1, protector.forget(dev.eskit.tenancy.TenantId.of("beta"), "x::y"));
        assertEquals(1, protector.forget(dev.eskit.tenancy.TenantId.of("beta"), "c-7"));
        assertEquals(FieldCipher.ERASED, ((Registered) codec.decode(beta.type(), beta.schemaVersion(), beta.data(),
                onBeta)).email());
    }

    @Test
    void forgettingASubjectErasesOnlyItsPersonalFields() {
        EncodedEvent ann = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        EncodedEvent bob = codec.encode(new Registered("c-2", "bob@example.com", 33, "free"));
        assertEquals(1, protector.forget("c-1"));
        assertEquals(new Registered("c-1", FieldCipher.ERASED, null, "gold"), roundTrip(ann));
        assertEquals(new Registered("c-2", "bob@example.com", 33, "free"), roundTrip(bob));
        assertEquals(0, protector.forget("c-1"));
    }

    @Test
    void aWriteAfterForgettingUsesAFreshKeyAndTheOldDataStaysErased() {
        EncodedEvent before = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        assertEquals(1, protector.forget("c-1"));
        EncodedEvent after = codec.encode(new Registered("c-1", "new@example.com", 42, "gold"));
        assertEquals("new@example.com", roundTrip(after).email());
        // The old ciphertext reads as erased for every reader, never as tampered.
        assertEquals(FieldCipher.ERASED, roundTrip(before).email());
        assertEquals(0, protector.forget("never-seen"));
        assertEquals(1, protector.forget("c-1"));
        assertEquals(FieldCipher.ERASED, roundTrip(after).email());
        assertEquals(FieldCipher.ERASED, roundTrip(before).email());
    }

    @Test
    void tamperedCiphertextFailsLoudly() throws Exception {
        EncodedEvent encoded = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        ObjectNode tree = tree(encoded);
        ObjectNode email = (ObjectNode) tree.get("email");
        byte[] sealed = Base64.getDecoder().decode(email.get("d").asText());
        sealed[sealed.length - 20] ^= 1;
        email.put("d", Base64.getEncoder().encodeToString(sealed));
        byte[] changed = JSON.writeValueAsBytes(tree);
        assertThrows(PersonalDataTamperedException.class,
                () -> codec.decode(encoded.type(), encoded.schemaVersion(), changed));
    }

    @Test
    void movingCiphertextToAnotherSubjectFailsLoudly() throws Exception {
        codec.encode(new Registered("c-2", "bob@example.com", 33, "free"));
        EncodedEvent encoded = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        ObjectNode tree = tree(encoded);
        ((ObjectNode) tree.get("email")).put("s", "c-2");
        byte[] changed = JSON.writeValueAsBytes(tree);
        assertThrows(PersonalDataTamperedException.class,
                () -> codec.decode(encoded.type(), encoded.schemaVersion(), changed));
    }

    @Test
    void aMalformedEnvelopeFailsLoudly() throws Exception {
        EncodedEvent encoded = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        ObjectNode tree = tree(encoded);
        ((ObjectNode) tree.get("email")).put("d", "%%% not base64");
        byte[] changed = JSON.writeValueAsBytes(tree);
        assertThrows(PersonalDataTamperedException.class,
                () -> codec.decode(encoded.type(), encoded.schemaVersion(), changed));
    }

    @Test
    void anEventWithoutItsSubjectIsNotEncoded() {
        assertThrows(DataSubjectMissingException.class,
                () -> codec.encode(new Registered(null, "ann@example.com", 41, "gold")));
        assertTrue(store.wrappedByOtherThan("none", 10).isEmpty());
    }

    @Test
    void nullPersonalFieldsStayNullAndPlaintextFromBeforeEncryptionStaysReadable() throws Exception {
        assertEquals(new Registered("c-1", null, null, "gold"),
                roundTrip(codec.encode(new Registered("c-1", null, null, "gold"))));
        byte[] legacy = JSON.writeValueAsBytes(new Registered("c-9", "old@example.com", 50, "free"));
        assertEquals("old@example.com", ((Registered) codec.decode("crm.Registered", 1, legacy)).email());
    }

    @Test
    void eventsWithoutPersonalDataAreUntouched() {
        EncodedEvent encoded = codec.encode(new Other("x"));
        assertEquals("{\"id\":\"x\"}", new String(encoded.data(), StandardCharsets.UTF_8));
    }

    @Test
    void rotatingASubjectKeyEncryptsNewDataWithTheNewVersionAndKeepsOldDataReadable() throws Exception {
        EncodedEvent v1 = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        assertEquals(2, keys.rotate("c-1"));
        EncodedEvent v2 = codec.encode(new Registered("c-1", "ann@new.example", 41, "gold"));
        assertEquals(1, tree(v1).get("email").get("v").asInt());
        assertEquals(2, tree(v2).get("email").get("v").asInt());
        assertEquals("ann@example.com", roundTrip(v1).email());
        assertEquals("ann@new.example", roundTrip(v2).email());
        assertEquals(2, protector.forget("c-1"));
        assertEquals(FieldCipher.ERASED, roundTrip(v1).email());
        assertEquals(FieldCipher.ERASED, roundTrip(v2).email());
    }

    @Test
    void masterKeyRotationRewrapsDataKeysWithoutChangingStoredEvents() {
        EncodedEvent encoded = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        codec.encode(new Registered("c-2", "bob@example.com", 33, "free"));
        MasterKey next = MasterKey.generate("m2");
        SubjectKeys rotated = SubjectKeys.create(store, next, master);
        assertEquals(2, rotated.rewrap(500));
        assertEquals(0, rotated.rewrap(500));
        assertTrue(store.wrappedByOtherThan("m2", 10).isEmpty());
        JsonEventCodec withNewMasterOnly = PersonalDataProtector.create(SubjectKeys.create(store, next),
                new CustomerPersonalData()).codec(TYPES);
        Registered read = (Registered) withNewMasterOnly.decode(encoded.type(), 1, encoded.data());
        assertEquals("ann@example.com", read.email());
        // The old master alone can no longer unwrap them.
        JsonEventCodec oldOnly = PersonalDataProtector.create(SubjectKeys.create(store, master),
                new CustomerPersonalData()).codec(TYPES);
        assertThrows(KeyManagementException.class, () -> oldOnly.decode(encoded.type(), 1, encoded.data()));
    }

    @Test
    void aWrongMasterKeyWithTheSameIdIsDetected() {
        EncodedEvent encoded = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"));
        JsonEventCodec impostor = PersonalDataProtector.create(SubjectKeys.create(store, MasterKey.generate("m1")),
                new CustomerPersonalData()).codec(TYPES);
        assertThrows(PersonalDataTamperedException.class, () -> impostor.decode(encoded.type(), 1, encoded.data()));
    }

    @Test
    void concurrentFirstWritesOfOneSubjectAgreeOnOneKey() throws Exception {
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<java.util.List<EncodedEvent>>> futures = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                java.util.List<EncodedEvent> written = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    written.add(codec.encode(new Registered("c-" + (i % 5), "m" + thread + "-" + i + "@x", i, "p")));
                }
                return written;
            }));
        }
        start.countDown();
        int decoded = 0;
        for (java.util.concurrent.Future<java.util.List<EncodedEvent>> future : futures) {
            for (EncodedEvent encoded : future.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                assertTrue(roundTrip(encoded).email().endsWith("@x"));
                decoded++;
            }
        }
        pool.shutdown();
        assertEquals(threads * 50, decoded);
        for (int s = 0; s < 5; s++) {
            assertEquals(1, store.latest("c-" + s).orElseThrow().version());
        }
    }

    @Test
    void masterKeysAreValidated() {
        assertThrows(dev.eskit.InvalidInputException.class, () -> MasterKey.of("m", new byte[16]));
        assertThrows(dev.eskit.InvalidInputException.class, () -> MasterKey.of(" ", new byte[32]));
        assertThrows(dev.eskit.InvalidInputException.class, () -> keys.forget(""));
    }

    @Test
    void placeholdersAreDocumentedConstants() {
        JsonNode text = FieldCipher.ERASED_TEXT;
        assertEquals("[erased]", text.asText());
        assertNull(JSON.convertValue(FieldCipher.ERASED_NULL, String.class));
    }
}
