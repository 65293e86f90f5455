package dev.eskit.gdpr;

import dev.eskit.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of per-subject data keys: each subject gets random AES-256 data keys, stored in a
 * {@link SubjectKeyStore} wrapped (AES-256-GCM) by the current {@link MasterKey}. Also the key life cycle: rotate a
 * subject's data key, forget a subject, re-wrap every data key under a new master key.
 *
 * <pre>{@code
 * SubjectKeys keys = SubjectKeys.create(JdbiSubjectKeyStore.create(jdbi), MasterKey.of("2026-11", bytes));
 * keys.forget("customer-42");   // crypto-shredding: that customer's personal data now reads as "[erased]"
 * }</pre>
 */
public final class SubjectKeys {

    /** The master key id of the marker rows {@link #forget} leaves: no key material, never unwrapped. */
    static final String FORGOTTEN = "eskit:forgotten";

    private final SubjectKeyStore store;
    private final MasterKey current;
    private final Map<String, MasterKey> masters = new HashMap<>();

    private SubjectKeys(SubjectKeyStore store, MasterKey current, List<MasterKey> previous) {
        this.store = Objects.requireNonNull(store, "store");
        this.current = Objects.requireNonNull(current, "current");
        masters.put(current.id(), current);
        if (FORGOTTEN.equals(current.id()) || previous.stream().anyMatch(k -> FORGOTTEN.equals(k.id()))) {
            throw new InvalidInputException("Master key id \"" + FORGOTTEN + "\" is reserved. Choose another id.");
        }
        for (MasterKey key : previous) {
            if (masters.putIfAbsent(key.id(), key) != null) {
                throw new InvalidInputException("Two master keys share the id \"" + key.id()
                        + "\". Give every master key its own id.");
            }
        }
    }

    /**
     * Keys in {@code store}, wrapped by {@code current}; {@code previous} master keys still unwrap keys they wrapped
     * until {@link #rewrap(int)} moved them to {@code current}.
     */
    public static SubjectKeys create(SubjectKeyStore store, MasterKey current, MasterKey... previous) {
        return new SubjectKeys(store, current, List.of(previous));
    }

    /** The key store. */
    public SubjectKeyStore store() {
        return store;
    }

    /** A data key in clear, with its version and fingerprint (tells a key from a later one of the same version). */
    record DataKey(String subjectId, int version, SecretKey key) {
        String fingerprint() {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                sha.update(("eskit-kid\0" + subjectId + "\0" + version + "\0").getBytes(StandardCharsets.UTF_8));
                byte[] digest = sha.digest(key.getEncoded());
                return java.util.Base64.getEncoder().withoutPadding()
                        .encodeToString(java.util.Arrays.copyOf(digest, 9));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new KeyManagementException("This JDK has no SHA-256: " + e, e);
            }
        }
    }

    /** The subject's newest data key, created (version 1) when it has none. */
    DataKey forWrite(String subjectId) {
        checkSubject(subjectId);
        for (int tries = 0; ; tries++) {
            Optional<WrappedKey> latest = store.latest(subjectId);
            if (latest.isPresent() && !isTombstone(latest.get())) {
                return new DataKey(subjectId, latest.get().version(), unwrap(latest.get()));
            }
            // A forgotten subject used again gets a fresh key with a version above every forgotten one.
            int version = latest.map(tombstone -> tombstone.version() + 1).orElse(1);
            SecretKey fresh = Aes.newKey();
            if (store.insert(wrap(subjectId, version, fresh))) {
                return new DataKey(subjectId, version, fresh);
            }
            if (tries > 3) {
                throw new KeyManagementException("The data key of subject \"" + subjectId
                        + "\" kept being created and removed concurrently. Retry the append.", null);
            }
        }
    }

    /** The subject's data key of {@code version}; empty when the subject (or that version) was forgotten. */
    Optional<DataKey> forRead(String subjectId, int version) {
        return store.find(subjectId, version).filter(found -> !isTombstone(found))
                .map(found -> new DataKey(subjectId, version, unwrap(found)));
    }

    /**
     * Whether the subject was forgotten at some time: its key row versions include the marker {@link #forget} leaves.
     * Only asked when a key does not match the data (rare), so it may read every version.
     */
    boolean wasForgotten(String subjectId) {
        Optional<WrappedKey> latest = store.latest(subjectId);
        if (latest.isEmpty()) {
            return false;
        }
        for (int version = latest.get().version(); version >= 1; version--) {
            Optional<WrappedKey> found = store.find(subjectId, version);
            if (found.isPresent() && isTombstone(found.get())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTombstone(WrappedKey key) {
        return FORGOTTEN.equals(key.masterKeyId());
    }

    /**
     * Gives the subject a new data key: new personal data is encrypted with it, older data stays readable with the
     * older versions. A subject without keys gets its first.
     *
     * @return the new key's version
     */
    public int rotate(String subjectId) {
        checkSubject(subjectId);
        while (true) {
            int next = store.latest(subjectId).map(WrappedKey::version).orElse(0) + 1;
            // (after a forget, the marker's version is the highest: the new key goes above it)
            if (store.insert(wrap(subjectId, next, Aes.newKey()))) {
                return next;
            }
        }
    }

    /**
     * Forgets a subject by deleting every one of its data keys: its personal data reads back as placeholders from now
     * on, everywhere, while everything else stays readable. Irreversible (unless the key store has a backup).
     *
     * @return the number of keys deleted; 0 when the subject had none
     */
    public int forget(String subjectId) {
        checkSubject(subjectId);
        int highest = store.latest(subjectId).map(WrappedKey::version).orElse(0);
        int keys = 0;
        for (int version = 1; version <= highest; version++) {
            keys += store.find(subjectId, version).filter(found -> !isTombstone(found)).isPresent() ? 1 : 0;
        }
        store.forget(subjectId);
        if (highest > 0) {
            // A marker row without key material: a later key of this subject gets a higher version, so data written
            // before the forget never meets a key of its version again and keeps reading as erased.
            store.insert(new WrappedKey(subjectId, highest + 1, FORGOTTEN, new byte[0]));
        }
        return keys;
    }

    /**
     * Re-wraps up to {@code limit} data keys that an older master key wrapped under the current one; call it until
     * it returns 0 after rotating the master key, then retire the old master key. The data keys (and so the stored
     * events) do not change.
     *
     * @return how many keys were re-wrapped
     * @throws KeyManagementException when a key was wrapped by a master key that is not configured
     */
    public int rewrap(int limit) {
        if (limit < 1) {
            throw new InvalidInputException("Re-wrap limit " + limit + " is below 1. Use a batch size such as 500.");
        }
        int done = 0;
        for (WrappedKey old : store.wrappedByOtherThan(current.id(), limit)) {
            if (isTombstone(old)) {
                continue;
            }
            SecretKey clear = unwrap(old);
            if (store.replace(wrap(old.subjectId(), old.version(), clear))) {
                done++;
            }
        }
        return done;
    }

    private WrappedKey wrap(String subjectId, int version, SecretKey key) {
        byte[] sealed = Aes.encrypt(current.key(), key.getEncoded(), wrapAad(subjectId, version));
        return new WrappedKey(subjectId, version, current.id(), sealed);
    }

    private SecretKey unwrap(WrappedKey wrapped) {
        MasterKey master = masters.get(wrapped.masterKeyId());
        if (master == null) {
            throw new KeyManagementException("The data key of subject \"" + wrapped.subjectId() + "\" (version "
                    + wrapped.version() + ") is wrapped by master key \"" + wrapped.masterKeyId()
                    + "\", which is not configured. Pass it as a previous master key to SubjectKeys.create(...)"
                    + " and run rewrap(...) to move the keys to the current one.", null);
        }
        try {
            return new SecretKeySpec(Aes.decrypt(master.key(), wrapped.wrapped(),
                    wrapAad(wrapped.subjectId(), wrapped.version())), "AES");
        } catch (AEADBadTagException e) {
            throw new PersonalDataTamperedException("The stored data key of subject \"" + wrapped.subjectId()
                    + "\" (version " + wrapped.version() + ") does not unwrap under master key \""
                    + wrapped.masterKeyId() + "\": the key row was changed or the master key is not the one that"
                    + " wrapped it. Restore the key row or configure the right master key.", e);
        }
    }

    private static byte[] wrapAad(String subjectId, int version) {
        return ("eskit-dk\0" + subjectId + "\0" + version).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the subject id of personal data outside any tenant and returns it as its key id: as {@link #checkSubject},
     * and without {@code ::}, the separator of tenants' subject keys ({@code acme::c-1}), which such an id could
     * otherwise name.
     */
    static String unscoped(String subjectId) {
        checkSubject(subjectId);
        if (subjectId.contains(dev.eskit.tenancy.Tenancy.SEPARATOR)) {
            throw new InvalidInputException("Data subject id " + dev.eskit.Limits.abbreviate(subjectId)
                    + " of data outside any tenant contains \"::\", the separator of tenants' subject keys"
                    + " (acme::c-1), so it could name a tenant's subject. Use subject ids without \"::\" outside"
                    + " tenants (a tenant's own ids may hold it). Nothing was written or forgotten.");
        }
        return subjectId;
    }

    /** Checks a subject id: non-empty, at most 256 characters, no NUL byte, valid Unicode. */
    static void checkSubject(String subjectId) {
        String problem = dev.eskit.Limits.checkIdentifier(subjectId);
        if (problem != null) {
            throw new InvalidInputException("Data subject id " + dev.eskit.Limits.abbreviate(subjectId) + " " + problem
                    + ". Use an opaque id such as a customer id: non-empty, at most 256 characters, without NUL bytes"
                    + " or invalid Unicode.");
        }
    }
}
