package dev.eskit.gdpr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.gdpr.CustomerPersonalData.Registered;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.tenancy.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ciphertext is bound to its subject, field and event; tenants have their own subject keys; format 1 still reads. */
class PersonalDataBindingTest {

    private static final EventTypes TYPES = EventTypes.builder().add("crm.Registered", Registered.class).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamRef STREAM = StreamRef.of("customer", "c-1");

    private final SubjectKeys keys = SubjectKeys.create(SubjectKeyStore.inMemory(), MasterKey.generate("m1"));
    private final PersonalDataProtector protector = PersonalDataProtector.create(keys, new CustomerPersonalData());
    private final JsonEventCodec codec = protector.codec(TYPES);

    private static EventContext at(UUID id, StreamRef stream, long version) {
        return new EventContext(id, stream, version, Position.of(version));
    }

    private Registered decode(byte[] data, EventContext where) {
        return (Registered) codec.decode("crm.Registered", 1, data, where);
    }

    @Test
    void ciphertextMovedToAnotherEventOrFieldFailsAsTamperingNamingTheEvent() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        EncodedEvent one = codec.encode(new Registered("c-1", "ann@example.com", 41, "gold"),
                EventContext.writing(first, STREAM));
        EncodedEvent two = codec.encode(new Registered("c-1", "other@example.com", 41, "gold"),
                EventContext.writing(second, STREAM));
        assertEquals("ann@example.com", decode(one.data(), at(first, STREAM, 1)).email());
        // The whole envelope of event 1 copied into event 2 (same subject, same field).
        ObjectNode target = (ObjectNode) JSON.readTree(two.data());
        target.set("email", JSON.readTree(one.data()).get("email"));
        byte[] moved = JSON.writeValueAsBytes(target);
        PersonalDataTamperedException error = assertThrows(PersonalDataTamperedException.class,
                () -> decode(moved, at(second, STREAM, 2)));
        assertTrue(error.getMessage().contains("event 2 of stream customer/c-1"), error.getMessage());
        assertTrue(error.getMessage().contains("\"email\""), error.getMessage());
        assertTrue(error.getMessage().contains("position"), error.getMessage());
        assertTrue(error.getMessage().contains(second.toString()), error.getMessage());
        // The same event read under another id (copied to another row) fails too.
        assertThrows(PersonalDataTamperedException.class, () -> decode(one.data(), at(second, STREAM, 1)));
        // Moved to another personal field of the same event.
        ObjectNode sameEvent = (ObjectNode) JSON.readTree(one.data());
        sameEvent.set("age", sameEvent.get("email"));
        assertThrows(PersonalDataTamperedException.class,
                () -> decode(JSON.writeValueAsBytes(sameEvent), at(first, STREAM, 1)));
    }

    @Test
    void tenantsHaveTheirOwnSubjectKeys() {
        StreamRef acme = StreamRef.of("acme::customer", "c-1");
        StreamRef other = StreamRef.of("other::customer", "c-1");
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        EncodedEvent ofAcme = codec.encode(new Registered("c-1", "ann@acme.example", 41, "gold"),
                EventContext.writing(a, acme));
        EncodedEvent ofOther = codec.encode(new Registered("c-1", "ann@other.example", 41, "gold"),
                EventContext.writing(b, other));
        assertEquals(1, protector.forget(TenantId.of("acme"), "c-1"));
        assertEquals(FieldCipher.ERASED, decode(ofAcme.data(), at(a, acme, 1)).email());
        assertEquals("ann@other.example", decode(ofOther.data(), at(b, other, 1)).email());
        assertEquals(0, protector.forget("c-1"), "no unscoped subject c-1 exists");
    }

    @Test
    void envelopesOfFormatOneWrittenWithoutEventBindingStayReadable() throws Exception {
        SubjectKeys.DataKey key = keys.forWrite("c-1");
        byte[] aad = ("eskit-pd\0c-1\0" + key.version()).getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Aes.encrypt(key.key(), "\"old@example.com\"".getBytes(StandardCharsets.UTF_8), aad);
        ObjectNode envelope = JsonNodeFactory.instance.objectNode().put(FieldCipher.MARKER, 1).put("s", "c-1")
                .put("v", key.version()).put("d", Base64.getEncoder().encodeToString(sealed));
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("customerId", "c-1").putNull("age")
                .put("plan", "gold");
        data.set("email", envelope);
        byte[] stored = JSON.writeValueAsBytes(data);
        assertEquals("old@example.com", decode(stored, at(UUID.randomUUID(), STREAM, 1)).email());
        protector.forget("c-1");
        assertEquals(FieldCipher.ERASED, decode(stored, at(UUID.randomUUID(), STREAM, 1)).email());
    }
}
