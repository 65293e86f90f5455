package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.eskit.codec.EventContext;
import dev.eskit.tenancy.Tenancy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

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

    private final SubjectKeys keys;
    private final String eventType;
    private final EventContext where;
    private final Map<String, SubjectKeys.DataKey> writeKeys = new HashMap<>(4);
    private final Map<String, Optional<SubjectKeys.DataKey>> readKeys = new HashMap<>(4);
    private final java.util.Set<String> recorded;
    /** The tenant prefix ({@code acme::}) of subjects when there is no event to take it from (commands); or null. */
    private final String keyPrefix;
    /** How many fields read back as placeholders because their subject was forgotten. */
    private int erased;

    FieldCipher(SubjectKeys keys, String eventType, EventContext where) {
        this(keys, eventType, where, null);
    }

    private FieldCipher(SubjectKeys keys, String commandType, String keyPrefix, boolean command) {
        this.keys = keys;
        this.eventType = commandType;
        this.where = null;
        this.recorded = null;
        this.keyPrefix = keyPrefix;
    }

    /** A cipher for a command payload: no event to bind to; subjects kept under {@code keyPrefix} when not null. */
    static FieldCipher forCommand(SubjectKeys keys, String commandType, String keyPrefix) {
        return new FieldCipher(keys, commandType, keyPrefix, true);
    }

    /** A cipher that encrypts nothing and only records the key ids of the subjects {@link #encrypt} is asked for. */
    FieldCipher(SubjectKeys keys, String eventType, EventContext where, java.util.Set<String> recorded) {
        this.keys = keys;
        this.eventType = eventType;
        this.where = where;
        this.recorded = recorded;
        this.keyPrefix = null;
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

    /** The subject id as the key store keeps it: scoped to the tenant of the event's stream, if any. */
    private String keyId(String subjectId) {
        if (where == null) {
            return keyPrefix == null ? subjectId : keyPrefix + subjectId;
        }
        return Tenancy.tenantOfStreamType(where.stream().type()).map(t -> t.value() + Tenancy.SEPARATOR + subjectId)
                .orElse(subjectId);
    }

    /** Replaces {@code field} of {@code data} with its encryption under {@code subjectId}'s key; null stays null. */
    public void encrypt(ObjectNode data, String field, String subjectId) {
        if (recorded != null) {
            recorded.add(keyId(subjectId));
            return;
        }
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        String keyId = keyId(subjectId);
        SubjectKeys.DataKey key = writeKeys.computeIfAbsent(keyId, keys::forWrite);
        String eventId = where == null ? "" : where.eventId().toString();
        byte[] sealed = Aes.encrypt(key.key(), value.toString().getBytes(StandardCharsets.UTF_8),
                aad(keyId, key.version(), field, eventId));
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put(MARKER, 2);
        envelope.put("s", keyId);
        envelope.put("v", key.version());
        envelope.put("k", key.fingerprint());
        envelope.put("e", where == null ? 0 : 1);
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
        int format = value.get(MARKER).asInt();
        JsonNode subject = value.get("s");
        JsonNode version = value.get("v");
        JsonNode sealedText = value.get("d");
        if ((format != 1 && format != 2) || subject == null || !subject.isTextual() || version == null
                || !version.canConvertToInt() || sealedText == null || !sealedText.isTextual()) {
            throw tampered(field, "its envelope is malformed", null);
        }
        String subjectId = subject.asText();
        int keyVersion = version.asInt();
        Optional<SubjectKeys.DataKey> key;
        try {
            key = readKeys.computeIfAbsent(subjectId + "\0" + keyVersion, k -> keys.forRead(subjectId, keyVersion));
        } catch (PersonalDataTamperedException | KeyManagementException e) {
            throw keyError(field, e);
        }
        if (key.isEmpty()) {
            data.set(field, placeholder);
            erased++;
            return;
        }
        byte[] aad;
        if (format == 1) {
            aad = aadV1(subjectId, keyVersion);
        } else {
            JsonNode fingerprint = value.get("k");
            if (fingerprint == null || !fingerprint.isTextual()) {
                throw tampered(field, "its envelope is malformed", null);
            }
            if (!fingerprint.asText().equals(key.get().fingerprint())) {
                if (keys.wasForgotten(subjectId)) {
                    // Forgotten, then used again, and a key of this version made anew (a concurrent write).
                    data.set(field, placeholder);
                    erased++;
                    return;
                }
                throw tampered(field, "its subject, key version or key fingerprint was changed", null);
            }
            boolean bound = value.path("e").asInt(0) == 1;
            if (bound && where == null) {
                throw tampered(field, "it is bound to its event and was read without one (use the store's"
                        + " codec.decode(type, version, data, where))", null);
            }
            aad = aad(subjectId, keyVersion, field, bound ? where.eventId().toString() : "");
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(sealedText.asText());
            byte[] plain = Aes.decrypt(key.get().key(), sealed, aad);
            data.set(field, JSON.readTree(plain));
        } catch (IllegalArgumentException e) {
            throw tampered(field, "its ciphertext is not base64", e);
        } catch (AEADBadTagException e) {
            throw tampered(field, "its ciphertext, subject, key version, field or event was changed, or it was"
                    + " moved here from another field or event (AES-GCM tag mismatch)", e);
        } catch (java.io.IOException e) {
            throw tampered(field, "it decrypts to something that is not JSON", e);
        }
    }

    private String event() {
        return where == null ? "of event type \"" + eventType + "\"" : "of " + where.describe() + ", type \""
                + eventType + "\"";
    }

    private PersonalDataTamperedException tampered(String field, String problem, Throwable cause) {
        return new PersonalDataTamperedException("Encrypted personal data field \"" + field + "\" " + event()
                + " cannot be read: " + problem + ". The stored event was modified; restore it from a backup.", cause);
    }

    private RuntimeException keyError(String field, RuntimeException e) {
        String message = "Personal data field \"" + field + "\" " + event() + " cannot be decrypted: "
                + e.getMessage();
        return e instanceof KeyManagementException ? new KeyManagementException(message, e)
                : new PersonalDataTamperedException(message, e);
    }

    private byte[] aad(String subjectId, int version, String field, String eventId) {
        return ("eskit-pd2\0" + subjectId + "\0" + version + "\0" + eventType + "\0" + field + "\0" + eventId)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] aadV1(String subjectId, int version) {
        return ("eskit-pd\0" + subjectId + "\0" + version).getBytes(StandardCharsets.UTF_8);
    }
}
