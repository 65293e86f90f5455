package dev.eskit.gdpr;

import dev.eskit.InvalidInputException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One data key of a subject as a key store keeps it: encrypted ("wrapped") by a master key, never in clear.
 *
 * @param subjectId   the data subject
 * @param version     1 for the subject's first key; {@link SubjectKeys#rotate(String)} adds the next
 * @param masterKeyId the id of the master key that wrapped it
 * @param wrapped     nonce, ciphertext and tag of the data key under the master key
 */
public record WrappedKey(String subjectId, int version, String masterKeyId, byte[] wrapped) {

    /** Validates the key. */
    public WrappedKey {
        SubjectKeys.checkSubject(subjectId);
        if (version < 1) {
            throw new InvalidInputException("Key version " + version + " of subject \"" + subjectId
                    + "\" is below 1. Versions start at 1.");
        }
        Objects.requireNonNull(masterKeyId, "masterKeyId");
        wrapped = Objects.requireNonNull(wrapped, "wrapped").clone();
    }

    /** A copy of the wrapped bytes. */
    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedKey key && key.subjectId.equals(subjectId) && key.version == version
                && key.masterKeyId.equals(masterKeyId) && Arrays.equals(key.wrapped, wrapped);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subjectId, version, masterKeyId, Arrays.hashCode(wrapped));
    }

    @Override
    public String toString() {
        return "WrappedKey[" + subjectId + " v" + version + " under " + masterKeyId + "]";
    }
}
