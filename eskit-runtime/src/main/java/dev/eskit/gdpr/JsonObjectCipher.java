package dev.eskit.gdpr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.JsonObject;
import dev.eskit.tenancy.Tenancy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * {@link FieldCipher} on eskit's {@link JsonObject} instead of databind's tree, for
 * {@code StreamingEventCodec}: the same envelope, key ids and associated data, so a field encrypted by either reads
 * with the other. Generated {@link PersonalDataRegistry} code calls it; one instance serves one event.
 */
public final class JsonObjectCipher {

    /** What a forgotten subject's text fields read back as. */
    public static final String ERASED_TEXT = FieldCipher.ERASED;
    /** The placeholder of every other field (JSON null). */
    public static final Object ERASED_NULL = null;

    private static final JsonFactory JSON = new JsonFactory();

    private final SubjectKeys keys;
    private final String eventType;
    private final EventContext where;
    private final Map<String, SubjectKeys.DataKey> writeKeys = new HashMap<>(4);
    private final Map<String, Optional<SubjectKeys.DataKey>> readKeys = new HashMap<>(4);
    private final java.util.Set<String> recorded;

    JsonObjectCipher(SubjectKeys keys, String eventType, EventContext where) {
        this(keys, eventType, where, null);
    }

    /** A cipher that encrypts nothing and only records the key ids of the subjects {@link #encrypt} is asked for. */
    JsonObjectCipher(SubjectKeys keys, String eventType, EventContext where, java.util.Set<String> recorded) {
        this.keys = keys;
        this.eventType = eventType;
        this.where = where;
        this.recorded = recorded;
    }

    /**
     * The data subject id in {@code field} of {@code data}: its text, or the text of a number.
     *
     * @throws DataSubjectMissingException when the field is missing, null, empty or not a single value
     */
    public static String subject(JsonObject data, String field, String eventType) {
        Object value = data.get(field);
        boolean scalar = value instanceof String || value instanceof Number || value instanceof Boolean;
        if (!scalar || value.toString().isEmpty()) {
            throw new DataSubjectMissingException("Event \"" + eventType + "\" has personal data but its data subject"
                    + " \"" + field + "\" is " + (value == null ? "null" : "empty or not a single value")
                    + ", so there is no key to encrypt it with. Set \"" + field + "\" to the id of the person the"
                    + " data belongs to.");
        }
        return value.toString();
    }

    private String keyId(String subjectId) {
        if (where == null) {
            return subjectId;
        }
        return Tenancy.tenantOfStreamType(where.stream().type()).map(t -> t.value() + Tenancy.SEPARATOR + subjectId)
                .orElse(subjectId);
    }

    /** Replaces {@code field} of {@code data} with its encryption under {@code subjectId}'s key; null stays null. */
    public void encrypt(JsonObject data, String field, String subjectId) {
        if (recorded != null) {
            recorded.add(keyId(subjectId));
            return;
        }
        Object value = data.get(field);
        if (value == null) {
            return;
        }
        String keyId = keyId(subjectId);
        SubjectKeys.DataKey key = writeKeys.computeIfAbsent(keyId, keys::forWrite);
        String eventId = where == null ? "" : where.eventId().toString();
        byte[] sealed = Aes.encrypt(key.key(), json(value), aad(keyId, key.version(), field, eventId));
        data.put(field, new JsonObject().put(FieldCipher.MARKER, 2).put("s", keyId).put("v", key.version())
                .put("k", key.fingerprint()).put("e", where == null ? 0 : 1)
                .put("d", Base64.getEncoder().encodeToString(sealed)));
    }

    /**
     * Replaces an encrypted {@code field} of {@code data} with its plaintext, or with {@code placeholder} when its
     * subject was forgotten. A field that is not encrypted stays as it is.
     *
     * @throws PersonalDataTamperedException when the ciphertext fails its integrity check or is malformed
     */
    public void decrypt(JsonObject data, String field, Object placeholder) {
        if (!(data.get(field) instanceof JsonObject value) || !value.has(FieldCipher.MARKER)) {
            return;
        }
        Object format = value.get(FieldCipher.MARKER);
        Object subject = value.get("s");
        Object version = value.get("v");
        Object sealedText = value.get("d");
        if (!(format instanceof Number f) || (f.intValue() != 1 && f.intValue() != 2)
                || !(subject instanceof String subjectId) || !(version instanceof Number v)
                || !(sealedText instanceof String text)) {
            throw tampered(field, "its envelope is malformed", null);
        }
        int keyVersion = v.intValue();
        Optional<SubjectKeys.DataKey> key;
        try {
            key = readKeys.computeIfAbsent(subjectId + "\0" + keyVersion, k -> keys.forRead(subjectId, keyVersion));
        } catch (PersonalDataTamperedException | KeyManagementException e) {
            String message = "Personal data field \"" + field + "\" " + event() + " cannot be decrypted: "
                    + e.getMessage();
            throw e instanceof KeyManagementException ? new KeyManagementException(message, e)
                    : new PersonalDataTamperedException(message, e);
        }
        if (key.isEmpty()) {
            data.put(field, placeholder);
            return;
        }
        byte[] aad;
        if (f.intValue() == 1) {
            aad = ("eskit-pd\0" + subjectId + "\0" + keyVersion).getBytes(StandardCharsets.UTF_8);
        } else {
            if (!(value.get("k") instanceof String fingerprint)) {
                throw tampered(field, "its envelope is malformed", null);
            }
            if (!fingerprint.equals(key.get().fingerprint())) {
                if (keys.wasForgotten(subjectId)) {
                    data.put(field, placeholder);
                    return;
                }
                throw tampered(field, "its subject, key version or key fingerprint was changed", null);
            }
            boolean bound = value.get("e") instanceof Number e && e.intValue() == 1;
            if (bound && where == null) {
                throw tampered(field, "it is bound to its event and was read without one (use the store's"
                        + " codec.decode(type, version, data, where))", null);
            }
            aad = aad(subjectId, keyVersion, field, bound ? where.eventId().toString() : "");
        }
        try {
            byte[] plain = Aes.decrypt(key.get().key(), Base64.getDecoder().decode(text), aad);
            try (JsonParser in = JSON.createParser(plain)) {
                in.nextToken();
                data.put(field, JsonObject.readValue(in));
            }
        } catch (IllegalArgumentException e) {
            throw tampered(field, "its ciphertext is not base64", e);
        } catch (AEADBadTagException e) {
            throw tampered(field, "its ciphertext, subject, key version, field or event was changed, or it was"
                    + " moved here from another field or event (AES-GCM tag mismatch)", e);
        } catch (IOException e) {
            throw tampered(field, "it decrypts to something that is not JSON", e);
        }
    }

    /** The field's JSON, as {@link FieldCipher} encrypts it ({@code JsonNode.toString()}). */
    private static byte[] json(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            JsonObject.writeValue(out, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private String event() {
        return where == null ? "of event type \"" + eventType + "\"" : "of " + where.describe() + ", type \""
                + eventType + "\"";
    }

    private PersonalDataTamperedException tampered(String field, String problem, Throwable cause) {
        return new PersonalDataTamperedException("Encrypted personal data field \"" + field + "\" " + event()
                + " cannot be read: " + problem + ". The stored event was modified; restore it from a backup.", cause);
    }

    private byte[] aad(String subjectId, int version, String field, String eventId) {
        return ("eskit-pd2\0" + subjectId + "\0" + version + "\0" + eventType + "\0" + field + "\0" + eventId)
                .getBytes(StandardCharsets.UTF_8);
    }
}
