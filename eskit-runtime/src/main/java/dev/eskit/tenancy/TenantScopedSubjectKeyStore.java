package dev.eskit.tenancy;

import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.WrappedKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's data keys in a shared {@link SubjectKeyStore}: subject {@code c-1} is kept as {@code <tenant>::c-1}, so
 * forgetting a tenant's subject never touches another tenant's subject of the same id.
 */
final class TenantScopedSubjectKeyStore implements SubjectKeyStore {

    private final TenantScope scope;
    private final SubjectKeyStore shared;

    TenantScopedSubjectKeyStore(TenantScope scope, SubjectKeyStore shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    TenantScope scope() {
        return scope;
    }

    private String scoped(String subjectId) {
        return scope.name("Data subject id", subjectId);
    }

    private WrappedKey scoped(WrappedKey key) {
        return new WrappedKey(scoped(key.subjectId()), key.version(), key.masterKeyId(), key.wrapped());
    }

    private WrappedKey unscoped(WrappedKey key) {
        return new WrappedKey(scope.unscoped(key.subjectId()), key.version(), key.masterKeyId(), key.wrapped());
    }

    @Override
    public Optional<WrappedKey> latest(String subjectId) {
        return shared.latest(scoped(subjectId)).map(this::unscoped);
    }

    @Override
    public Optional<WrappedKey> find(String subjectId, int version) {
        return shared.find(scoped(subjectId), version).map(this::unscoped);
    }

    @Override
    public boolean insert(WrappedKey key) {
        return shared.insert(scoped(key));
    }

    @Override
    public boolean replace(WrappedKey key) {
        return shared.replace(scoped(key));
    }

    @Override
    public int forget(String subjectId) {
        return shared.forget(scoped(subjectId));
    }

    /** The tenant's keys among the shared store's keys wrapped by another master key (may return fewer than asked). */
    @Override
    public List<WrappedKey> wrappedByOtherThan(String masterKeyId, int limit) {
        List<WrappedKey> result = new ArrayList<>();
        for (WrappedKey key : shared.wrappedByOtherThan(masterKeyId, limit)) {
            if (scope.owns(key.subjectId())) {
                result.add(unscoped(key));
            }
        }
        return result;
    }
}
