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
    /**
     * The id the ciphertext is bound to (its event's, or its command's), or null when there is none: the envelope
     * says {@code "e":1} and the id is part of the associated data.
     */
    private final String boundId;
    /** {@code "event"} or {@code "command"}, for messages. */
    private final String kind;
    private final Map<String, SubjectKeys.DataKey> writeKeys = new HashMap<>(4);
    private final Map<String, Optional<SubjectKeys.DataKey>> readKeys = new HashMap<>(4);

    FieldSeal(SubjectKeys keys, String eventType, EventContext where, String keyPrefix, Set<String> recorded) {
        this.keys = keys;
        this.eventType = eventType;
        this.where = where;
        this.keyPrefix = keyPrefix;
        this.recorded = recorded;
        this.boundId = where == null ? null : where.eventId().toString();
        this.kind = "event";
    }

    /**
     * A seal for a stored command payload of {@code commandType}: subjects kept under {@code keyPrefix} when not
     * null, ciphertext bound to {@code commandId} when not null (so that it cannot be moved to another command).
     */
    FieldSeal(SubjectKeys keys, String commandType, String keyPrefix, String commandId) {
        this.keys = keys;
        this.eventType = commandType;
        this.where = null;
        this.keyPrefix = keyPrefix;
        this.recorded = null;
        this.boundId = commandId;
        this.kind = "command";
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
            return keyPrefix == null ? SubjectKeys.unscoped(subjectId) : keyPrefix + subjectId;
        }
        return Tenancy.tenantOfStreamType(where.stream().type()).map(t -> t.value() + Tenancy.SEPARATOR + subjectId)
                .orElseGet(() -> SubjectKeys.unscoped(subjectId));
    }

    /** Seals {@code plainJson}, the JSON of {@code field}, under {@code subjectId}'s current key. */
    Sealed seal(String field, String subjectId, byte[] plainJson) {
        String keyId = keyId(subjectId);
        SubjectKeys.DataKey key = writeKeys.computeIfAbsent(keyId, keys::forWrite);
        byte[] sealed = Aes.encrypt(key.key(), plainJson, aad(keyId, key.version(), field,
                boundId == null ? "" : boundId));
        return new Sealed(keyId, key.version(), key.fingerprint(), boundId == null ? 0 : 1,
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
            if (bound && boundId == null) {
                throw tampered(field, "it is bound to its " + kind + " and was read without one" + ("event".equals(kind)
                        ? " (use the store's codec.decode(type, version, data, where))" : " (pass the command id)"),
                        null);
            }
            aad = aad(subjectId, keyVersion, field, bound ? boundId : "");
        }
        try {
            return Aes.decrypt(key.get().key(), Base64.getDecoder().decode(text), aad);
        } catch (IllegalArgumentException e) {
            throw tampered(field, "its ciphertext is not base64", e);
        } catch (AEADBadTagException e) {
            throw tampered(field, "its ciphertext, subject, key version, field or " + kind + " was changed, or it"
                    + " was moved here from another field or " + kind + " (AES-GCM tag mismatch)", e);
        }
    }

    /** The error for an envelope of {@code field} that cannot be read because of {@code problem}. */
    PersonalDataTamperedException tampered(String field, String problem, Throwable cause) {
        return new PersonalDataTamperedException("Encrypted personal data field \"" + field + "\" " + event()
                + " cannot be read: " + problem + ". The stored " + kind + " was modified; restore it from a backup.",
                cause);
    }

    private String event() {
        if (where == null) {
            return "of " + kind + " type \"" + eventType + "\"" + (boundId == null ? "" : " (id " + boundId + ")");
        }
        return "of " + where.describe() + ", type \"" + eventType + "\"";
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
