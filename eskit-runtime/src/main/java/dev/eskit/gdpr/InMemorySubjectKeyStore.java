package dev.eskit.gdpr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link SubjectKeyStore} in memory, for tests and single-process applications that keep keys elsewhere. */
public final class InMemorySubjectKeyStore implements SubjectKeyStore {

    private final Map<String, ConcurrentSkipListMap<Integer, WrappedKey>> keys = new ConcurrentHashMap<>();

    /** A new, empty store. */
    public InMemorySubjectKeyStore() {
    }

    @Override
    public Optional<WrappedKey> latest(String subjectId) {
        ConcurrentSkipListMap<Integer, WrappedKey> versions = keys.get(subjectId);
        if (versions == null) {
            return Optional.empty();
        }
        Map.Entry<Integer, WrappedKey> last = versions.lastEntry();
        return last == null ? Optional.empty() : Optional.of(last.getValue());
    }

    @Override
    public Optional<WrappedKey> find(String subjectId, int version) {
        ConcurrentSkipListMap<Integer, WrappedKey> versions = keys.get(subjectId);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    @Override
    public boolean insert(WrappedKey key) {
        return keys.computeIfAbsent(key.subjectId(), s -> new ConcurrentSkipListMap<>())
                .putIfAbsent(key.version(), key) == null;
    }

    @Override
    public boolean replace(WrappedKey key) {
        ConcurrentSkipListMap<Integer, WrappedKey> versions = keys.get(key.subjectId());
        return versions != null && versions.replace(key.version(), key) != null;
    }

    @Override
    public int forget(String subjectId) {
        ConcurrentSkipListMap<Integer, WrappedKey> removed = keys.remove(subjectId);
        return removed == null ? 0 : removed.size();
    }

    @Override
    public List<WrappedKey> wrappedByOtherThan(String masterKeyId, int limit) {
        List<WrappedKey> result = new ArrayList<>();
        for (ConcurrentSkipListMap<Integer, WrappedKey> versions : keys.values()) {
            for (WrappedKey key : versions.values()) {
                if (result.size() >= limit) {
                    return result;
                }
                if (!key.masterKeyId().equals(masterKeyId)) {
                    result.add(key);
                }
            }
        }
        return result;
    }
}
