package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Encrypts and decrypts single JSON fields of an event; generated {@link PersonalDataRegistry} code calls it. One
 * instance serves one event (it caches the keys that event needs).
 *
 * <p>An encrypted field is stored as {@code {"eskit:pd":1,"s":"<subject id>","v":<key version>,"d":"<base64 of
 * nonce, ciphertext and tag>"}}; the plaintext is the field's JSON. Subject and key version are authenticated with the
 * ciphertext, so changing any of them fails with {@link PersonalDataTamperedException}.
 */
public final class FieldCipher {

    /** What a forgotten subject's text fields read back as. */
    public static final String ERASED = "[erased]";
    /** {@link #ERASED} as a JSON node: the placeholder of text fields. */
    public static final JsonNode ERASED_TEXT = TextNode.valueOf(ERASED);
    /** JSON null: the placeholder of every other field (numbers read as 0, booleans as false, objects as null). */
    public static final JsonNode ERASED_NULL = NullNode.getInstance();

    static final String MARKER = "eskit:pd";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubjectKeys keys;
    private final Map<String, SubjectKeys.DataKey> writeKeys = new HashMap<>(4);
    private final Map<String, Optional<SecretKey>> readKeys = new HashMap<>(4);

    FieldCipher(SubjectKeys keys) {
        this.keys = keys;
    }

    /**
     * The data subject id in {@code field} of {@code data}: its text, or the text of a number.
     *
     * @throws DataSubjectMissingException when the field is missing, null, empty or not a scalar
     */
    public static String subject(ObjectNode data, String field, String eventType) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull() || !node.isValueNode() || node.asText().isEmpty()) {
            throw new DataSubjectMissingException("Event \"" + eventType + "\" has personal data but its data subject"
                    + " \"" + field + "\" is " + (node == null || node.isNull() ? "null" : "empty or not a single value")
                    + ", so there is no key to encrypt it with. Set \"" + field + "\" to the id of the person the"
                    + " data belongs to.");
        }
        return node.asText();
    }

    /** Replaces {@code field} of {@code data} with its encryption under {@code subjectId}'s key; null stays null. */
    public void encrypt(ObjectNode data, String field, String subjectId) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        SubjectKeys.DataKey key = writeKeys.computeIfAbsent(subjectId, keys::forWrite);
        byte[] sealed = Aes.encrypt(key.key(), value.toString().getBytes(StandardCharsets.UTF_8),
                aad(subjectId, key.version()));
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put(MARKER, 1);
        envelope.put("s", subjectId);
        envelope.put("v", key.version());
        envelope.put("d", Base64.getEncoder().encodeToString(sealed));
        data.set(field, envelope);
    }

    /**
     * Replaces an encrypted {@code field} of {@code data} with its plaintext, or with {@code placeholder} when its
     * subject was forgotten. A field that is not encrypted (written before it was marked personal) stays as it is.
     *
     * @throws PersonalDataTamperedException when the ciphertext fails its integrity check or is malformed
     */
    public void decrypt(ObjectNode data, String field, JsonNode placeholder) {
        JsonNode value = data.get(field);
        if (value == null || !value.isObject() || !value.has(MARKER)) {
            return;
        }
        JsonNode subject = value.get("s");
        JsonNode version = value.get("v");
        JsonNode sealedText = value.get("d");
        if (subject == null || !subject.isTextual() || version == null || !version.canConvertToInt()
                || sealedText == null || !sealedText.isTextual()) {
            throw tampered(field, "its envelope is malformed", null);
        }
        String subjectId = subject.asText();
        int keyVersion = version.asInt();
        Optional<SecretKey> key = readKeys.computeIfAbsent(subjectId + "\0" + keyVersion,
                k -> keys.forRead(subjectId, keyVersion));
        if (key.isEmpty()) {
            data.set(field, placeholder);
            return;
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(sealedText.asText());
            byte[] plain = Aes.decrypt(key.get(), sealed, aad(subjectId, keyVersion));
            data.set(field, JSON.readTree(plain));
        } catch (IllegalArgumentException e) {
            throw tampered(field, "its ciphertext is not base64", e);
        } catch (AEADBadTagException e) {
            throw tampered(field, "its ciphertext, subject or key version was changed (AES-GCM tag mismatch)", e);
        } catch (java.io.IOException e) {
            throw tampered(field, "it decrypts to something that is not JSON", e);
        }
    }

    private static PersonalDataTamperedException tampered(String field, String problem, Throwable cause) {
        return new PersonalDataTamperedException("Encrypted personal data field \"" + field + "\" cannot be read: "
                + problem + ". The stored event was modified; restore it from a backup.", cause);
    }

    private static byte[] aad(String subjectId, int version) {
        return ("eskit-pd\0" + subjectId + "\0" + version).getBytes(StandardCharsets.UTF_8);
    }
}
