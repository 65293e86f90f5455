package dev.eskit.gdpr;

import java.util.List;
import java.util.Optional;

/**
 * Keeps wrapped data keys per data subject and version. Implementations are thread-safe; eskit has an in-memory one
 * ({@link #inMemory()}) and a Jdbi table ({@code dev.eskit.jdbi.JdbiSubjectKeyStore}).
 */
public interface SubjectKeyStore {

    /** The subject's newest key (highest version), or empty when it has none (never had, or forgotten). */
    Optional<WrappedKey> latest(String subjectId);

    /** The subject's key of {@code version}, or empty. */
    Optional<WrappedKey> find(String subjectId, int version);

    /**
     * Stores a new key unless the subject already has that version.
     *
     * @return {@code false} when the version existed (another writer created it first); nothing changed then
     */
    boolean insert(WrappedKey key);

    /** Replaces the wrapped bytes and master key id of an existing key (re-wrapping); false when it is gone. */
    boolean replace(WrappedKey key);

    /** Deletes every key of the subject. Returns how many were deleted. */
    int forget(String subjectId);

    /** Up to {@code limit} keys wrapped by a master key other than {@code masterKeyId}, for re-wrapping. */
    List<WrappedKey> wrappedByOtherThan(String masterKeyId, int limit);

    /** A new, empty in-memory key store. */
    static SubjectKeyStore inMemory() {
        return new InMemorySubjectKeyStore();
    }
}
