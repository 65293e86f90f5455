package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.eskit.codec.EventContext;
import java.nio.charset.StandardCharsets;

/**
 * Encrypts and decrypts single JSON fields of an event; generated {@link PersonalDataRegistry} code calls it. One
 * instance serves one event (it caches the keys that event needs).
 *
 * <p>An encrypted field is stored as {@code {"eskit:pd":2,"s":"<subject id>","v":<key version>,"k":"<key
 * fingerprint>","e":1,"d":"<base64 of nonce, ciphertext and tag>"}}; the plaintext is the field's JSON. The AES-GCM
 * associated data binds the ciphertext to its subject, key version, event type, field name and event id, so changing
 * any of them, or moving the envelope to another field or event, fails with {@link PersonalDataTamperedException}.
 * On a tenant's stream ({@code <tenant>::<type>}) the subject id is kept as {@code <tenant>::<subject>}, so each tenant
 * has its own keys. Envelopes of format 1 (written before event binding) are still read, bound to subject and key
 * version only. The fingerprint tells a key that was forgotten and created anew for a reused subject id from a
 * tampered one: data under the old key reads as erased.
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

    private final FieldSeal seal;
    /** How many fields read back as placeholders because their subject was forgotten. */
    private int erased;

    FieldCipher(SubjectKeys keys, String eventType, EventContext where) {
        this(keys, eventType, where, null);
    }

    private FieldCipher(SubjectKeys keys, String commandType, String keyPrefix, String commandId) {
        this.seal = new FieldSeal(keys, commandType, keyPrefix, commandId);
    }

    /**
     * A cipher for a command payload: subjects kept under {@code keyPrefix} when not null, ciphertext bound to
     * {@code commandId} when not null.
     */
    static FieldCipher forCommand(SubjectKeys keys, String commandType, String keyPrefix, String commandId) {
        return new FieldCipher(keys, commandType, keyPrefix, commandId);
    }

    /** A cipher that encrypts nothing and only records the key ids of the subjects {@link #encrypt} is asked for. */
    FieldCipher(SubjectKeys keys, String eventType, EventContext where, java.util.Set<String> recorded) {
        this.seal = new FieldSeal(keys, eventType, where, null, recorded);
    }

    /** How many fields {@link #decrypt} replaced with a placeholder (their subject was forgotten). */
    int erased() {
        return erased;
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
        if (seal.recording()) {
            seal.record(subjectId);
            return;
        }
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        FieldSeal.Sealed sealed = seal.seal(field, subjectId, value.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put(MARKER, 2);
        envelope.put("s", sealed.keyId());
        envelope.put("v", sealed.version());
        envelope.put("k", sealed.fingerprint());
        envelope.put("e", sealed.bound());
        envelope.put("d", sealed.data());
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
        int format = value.get(MARKER).asInt();
        JsonNode subject = value.get("s");
        JsonNode version = value.get("v");
        JsonNode sealedText = value.get("d");
        if ((format != 1 && format != 2) || subject == null || !subject.isTextual() || version == null
                || !version.canConvertToInt() || sealedText == null || !sealedText.isTextual()) {
            throw seal.tampered(field, "its envelope is malformed", null);
        }
        JsonNode fingerprint = value.get("k");
        byte[] plain = seal.open(field, format, subject.asText(), version.asInt(),
                fingerprint != null && fingerprint.isTextual() ? fingerprint.asText() : null,
                value.path("e").asInt(0) == 1, sealedText.asText());
        if (plain == null) {
            data.set(field, placeholder);
            erased++;
            return;
        }
        try {
            data.set(field, JSON.readTree(plain));
        } catch (java.io.IOException e) {
            throw seal.tampered(field, "it decrypts to something that is not JSON", e);
        }
    }
}
