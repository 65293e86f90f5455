package dev.eskit.gdpr;

import dev.eskit.codec.EventContext;
import dev.eskit.tenancy.Tenancy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.AEADBadTagException;

/**
 * The tree-independent part of {@link FieldCipher} and {@link JsonObjectCipher}: key ids, the keys one event needs
 * (cached), the associated data, sealing a field's JSON bytes and opening an envelope's parts, and the error messages.
 * Each cipher only moves the envelope in and out of its own JSON tree, so the two cannot drift apart.
 */
final class FieldSeal {

    /** The envelope of one sealed field, as both ciphers write it under {@link FieldCipher#MARKER} 2. */
    record Sealed(String keyId, int version, String fingerprint, int bound, String data) {
    }

    private final SubjectKeys keys;
    private final String eventType;
    private final EventContext where;
    /** The tenant prefix ({@code acme::}) of subjects when there is no event to take it from (commands); or null. */
    private final String keyPrefix;
    /** When not null, sealing records the key ids asked for and encrypts nothing. */
    private final Set<String> recorded;
    private final Map<String, SubjectKeys.DataKey> writeKeys = new HashMap<>(4);
    private final Map<String, Optional<SubjectKeys.DataKey>> readKeys = new HashMap<>(4);

    FieldSeal(SubjectKeys keys, String eventType, EventContext where, String keyPrefix, Set<String> recorded) {
        this.keys = keys;
        this.eventType = eventType;
        this.where = where;
        this.keyPrefix = keyPrefix;
        this.recorded = recorded;
    }

    /** Whether this seal only records key ids (see {@link #record}). */
    boolean recording() {
        return recorded != null;
    }

    /** Records the key id of {@code subjectId} (a recording seal). */
    void record(String subjectId) {
        recorded.add(keyId(subjectId));
    }

    /** The subject id as the key store keeps it: scoped to the tenant of the event's stream, if any. */
    private String keyId(String subjectId) {
        if (where == null) {
            return keyPrefix == null ? subjectId : keyPrefix + subjectId;
        }
        return Tenancy.tenantOfStreamType(where.stream().type()).map(t -> t.value() + Tenancy.SEPARATOR + subjectId)
                .orElse(subjectId);
    }

    /** Seals {@code plainJson}, the JSON of {@code field}, under {@code subjectId}'s current key. */
    Sealed seal(String field, String subjectId, byte[] plainJson) {
        String keyId = keyId(subjectId);
        SubjectKeys.DataKey key = writeKeys.computeIfAbsent(keyId, keys::forWrite);
        String eventId = where == null ? "" : where.eventId().toString();
        byte[] sealed = Aes.encrypt(key.key(), plainJson, aad(keyId, key.version(), field, eventId));
        return new Sealed(keyId, key.version(), key.fingerprint(), where == null ? 0 : 1,
                Base64.getEncoder().encodeToString(sealed));
    }

    /**
     * Opens an envelope of {@code field} from its parts: the JSON bytes of the plaintext, or {@code null} when its
     * subject was forgotten (the caller puts its placeholder there).
     *
     * @param format      the envelope format, 1 or 2 (the caller checked)
     * @param fingerprint the key fingerprint ({@code "k"}), null when missing or not text
     * @param bound       whether the envelope says it is bound to its event ({@code "e": 1})
     * @throws PersonalDataTamperedException when the envelope or ciphertext was changed or moved
     */
    byte[] open(String field, int format, String subjectId, int keyVersion, String fingerprint, boolean bound,
                String text) {
        Optional<SubjectKeys.DataKey> key;
        try {
            key = readKeys.computeIfAbsent(subjectId + "\0" + keyVersion, k -> keys.forRead(subjectId, keyVersion));
        } catch (PersonalDataTamperedException | KeyManagementException e) {
            throw keyError(field, e);
        }
        if (key.isEmpty()) {
            return null;
        }
        byte[] aad;
        if (format == 1) {
            aad = ("eskit-pd\0" + subjectId + "\0" + keyVersion).getBytes(StandardCharsets.UTF_8);
        } else {
            if (fingerprint == null) {
                throw tampered(field, "its envelope is malformed", null);
            }
            if (!fingerprint.equals(key.get().fingerprint())) {
                if (keys.wasForgotten(subjectId)) {
                    // Forgotten, then used again, and a key of this version made anew (a concurrent write).
                    return null;
                }
                throw tampered(field, "its subject, key version or key fingerprint was changed", null);
            }
            if (bound && where == null) {
                throw tampered(field, "it is bound to its event and was read without one (use the store's"
                        + " codec.decode(type, version, data, where))", null);
            }
            aad = aad(subjectId, keyVersion, field, bound ? where.eventId().toString() : "");
        }
        try {
            return Aes.decrypt(key.get().key(), Base64.getDecoder().decode(text), aad);
        } catch (IllegalArgumentException e) {
            throw tampered(field, "its ciphertext is not base64", e);
        } catch (AEADBadTagException e) {
            throw tampered(field, "its ciphertext, subject, key version, field or event was changed, or it was"
                    + " moved here from another field or event (AES-GCM tag mismatch)", e);
        }
    }

    /** The error for an envelope of {@code field} that cannot be read because of {@code problem}. */
    PersonalDataTamperedException tampered(String field, String problem, Throwable cause) {
        return new PersonalDataTamperedException("Encrypted personal data field \"" + field + "\" " + event()
                + " cannot be read: " + problem + ". The stored event was modified; restore it from a backup.", cause);
    }

    private String event() {
        return where == null ? "of event type \"" + eventType + "\"" : "of " + where.describe() + ", type \""
                + eventType + "\"";
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
}
