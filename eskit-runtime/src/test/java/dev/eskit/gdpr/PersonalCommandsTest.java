package dev.eskit.gdpr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Metadata;
import dev.eskit.codec.JsonObject;
import dev.eskit.command.CommandDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Command payloads with personal data: encrypted on eskit's {@code JsonObject} (no databind) with the generated
 * registry's methods, bound to the command id so that a payload or one of its fields moved to another command fails
 * as tampering; payloads stored before binding still read; registries with only databind methods still work.
 */
class PersonalCommandsTest {

    private static final String TYPE = "shop.Register";
    private static final String SECRET = "ada@example.com";

    /** What the processor generates for a command with a {@code @PersonalData} email when databind is absent. */
    static final class StreamingOnly implements PersonalDataRegistry {
        @Override
        public Set<String> eventTypes() {
            return Set.of(TYPE);
        }

        @Override
        public void encrypt(String type, JsonObject data, JsonObjectCipher cipher) {
            cipher.encrypt(data, "email", JsonObjectCipher.subject(data, "customerId", type));
        }

        @Override
        public void decrypt(String type, JsonObject data, JsonObjectCipher cipher) {
            cipher.decrypt(data, "email", JsonObjectCipher.ERASED_TEXT);
        }
    }

    /** A registry with the databind methods only (hand-written, or by an older processor). */
    static final class DatabindOnly implements PersonalDataRegistry {
        @Override
        public Set<String> eventTypes() {
            return Set.of(TYPE);
        }

        @Override
        public void encrypt(String type, ObjectNode data, FieldCipher cipher) {
            cipher.encrypt(data, "email", FieldCipher.subject(data, "customerId", type));
        }

        @Override
        public void decrypt(String type, ObjectNode data, FieldCipher cipher) {
            cipher.decrypt(data, "email", FieldCipher.ERASED_TEXT);
        }
    }

    private final SubjectKeys keys = SubjectKeys.create(new InMemorySubjectKeyStore(), MasterKey.generate("m1"));
    private final PersonalDataProtector streaming = PersonalDataProtector.create(keys, new StreamingOnly());
    private final PersonalDataProtector databind = PersonalDataProtector.create(keys, new DatabindOnly());

    private static byte[] payload(String customer, String email) {
        return ("{\"customerId\":\"" + customer + "\",\"email\":\"" + email + "\",\"items\":3}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aPayloadIsEncryptedBoundToItsCommandAndOpensOnlyUnderThatId() {
        for (PersonalDataProtector protector : new PersonalDataProtector[] {streaming, databind}) {
            String stored = protector.protectCommand(TYPE, "cmd-1", payload("c-1", SECRET), Metadata.empty());
            assertFalse(stored.contains(SECRET), stored);
            assertTrue(stored.contains("\"e\":1"), stored);
            assertEquals(text(payload("c-1", SECRET)), text(protector.openCommand(TYPE, "cmd-1", stored)));
            assertEquals(text(payload("c-1", SECRET)), protector.readableCommand(TYPE, "cmd-1", stored));

            PersonalDataTamperedException moved = assertThrows(PersonalDataTamperedException.class,
                    () -> protector.openCommand(TYPE, "cmd-2", stored));
            assertTrue(moved.getMessage().contains("command type \"shop.Register\" (id cmd-2)"), moved.getMessage());
            assertTrue(moved.getMessage().contains("moved here from another field or command"), moved.getMessage());
            PersonalDataTamperedException withoutId = assertThrows(PersonalDataTamperedException.class,
                    () -> protector.openCommand(TYPE, null, stored));
            assertTrue(withoutId.getMessage().contains("bound to its command"), withoutId.getMessage());
        }
    }

    @Test
    void aFieldMovedIntoAnotherCommandOfTheSameSubjectFailsAsTampering() {
        String first = streaming.protectCommand(TYPE, "cmd-1", payload("c-1", SECRET), Metadata.empty());
        String second = streaming.protectCommand(TYPE, "cmd-2", payload("c-1", "other@example.com"), Metadata.empty());
        String firstEnvelope = first.substring(first.indexOf("{\"eskit:pd\""), first.indexOf('}') + 1);
        String secondEnvelope = second.substring(second.indexOf("{\"eskit:pd\""), second.indexOf('}') + 1);
        String swapped = second.replace(secondEnvelope, firstEnvelope);
        assertThrows(PersonalDataTamperedException.class, () -> streaming.openCommand(TYPE, "cmd-2", swapped));
        assertThrows(PersonalDataTamperedException.class, () -> databind.openCommand(TYPE, "cmd-2", swapped));
    }

    @Test
    void bothRegistriesReadWhatTheOtherWrote() {
        String byStreaming = streaming.protectCommand(TYPE, "cmd-1", payload("c-1", SECRET), Metadata.empty());
        String byDatabind = databind.protectCommand(TYPE, "cmd-2", payload("c-1", SECRET), Metadata.empty());
        assertEquals(text(payload("c-1", SECRET)), text(databind.openCommand(TYPE, "cmd-1", byStreaming)));
        assertEquals(text(payload("c-1", SECRET)), text(streaming.openCommand(TYPE, "cmd-2", byDatabind)));
    }

    @Test
    @SuppressWarnings("deprecation")
    void payloadsStoredBeforeCommandBindingStillRead() {
        String unbound = streaming.protectCommand(TYPE, payload("c-1", SECRET), Metadata.empty());
        assertFalse(unbound.contains(SECRET), unbound);
        assertFalse(unbound.contains("\"e\":1"), unbound);
        assertEquals(text(payload("c-1", SECRET)), text(streaming.openCommand(TYPE, "any-id", unbound)));
        assertEquals(text(payload("c-1", SECRET)), text(databind.openCommand(TYPE, "any-id", unbound)));
    }

    @Test
    void aForgottenSubjectsCommandReadsErasedAndDoesNotRun() {
        String stored = streaming.protectCommand(TYPE, "cmd-1", payload("c-1", SECRET), Metadata.empty());
        streaming.forget("c-1");
        assertEquals(text(payload("c-1", FieldCipher.ERASED)), streaming.readableCommand(TYPE, "cmd-1", stored));
        assertThrows(CommandDecodingException.class, () -> streaming.openCommand(TYPE, "cmd-1", stored));
        assertThrows(CommandDecodingException.class, () -> databind.openCommand(TYPE, "cmd-1", stored));
    }

    @Test
    void aPayloadThatIsNotAnObjectIsRefusedBeforeAnythingIsStored() {
        assertThrows(dev.eskit.EventEncodingException.class, () -> streaming.protectCommand(TYPE, "cmd-1",
                "[1]".getBytes(StandardCharsets.UTF_8), Metadata.empty()));
        assertThrows(CommandDecodingException.class, () -> streaming.openCommand(TYPE, "cmd-1", "{\"a\":1} x"));
    }
}
