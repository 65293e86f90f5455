package dev.eskit.tenancy;

import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One tenant's dead letters in a shared {@link DeadLetterStore}: subscription {@code s} is kept as
 * {@code <tenant>::s} and the event's stream as the shared store keeps it; a dead letter of another tenant is neither
 * found nor deleted by id.
 */
final class TenantScopedDeadLetterStore implements DeadLetterStore {

    private final TenantScope scope;
    private final DeadLetterStore shared;

    TenantScopedDeadLetterStore(TenantScope scope, DeadLetterStore shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    TenantScope scope() {
        return scope;
    }

    private String scoped(String subscription) {
        return scope.name("Subscription name", subscription);
    }

    private DeadLetter unscoped(DeadLetter stored) {
        return new DeadLetter(stored.id(), scope.unscoped(stored.subscription()), stored.eventId(),
                scope.owns(stored.stream()) ? scope.unscoped(stored.stream()) : stored.stream(), stored.version(),
                stored.eventType(), stored.position(), stored.attempts(), stored.error(), stored.firstFailedAt(),
                stored.lastFailedAt());
    }

    private Optional<DeadLetter> own(UUID id) {
        return shared.find(Objects.requireNonNull(id, "id")).filter(letter -> scope.owns(letter.subscription()));
    }

    @Override
    public void put(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        Optional<DeadLetter> existing = shared.find(deadLetter.id());
        if (existing.isPresent() && !scope.owns(existing.get().subscription())) {
            throw new InvalidTenantException("Dead letter " + deadLetter.id() + " belongs to another tenant; tenant \""
                    + scope.tenant() + "\" cannot replace it. Use a fresh id.");
        }
        shared.put(new DeadLetter(deadLetter.id(), scoped(deadLetter.subscription()), deadLetter.eventId(),
                scope.stream(deadLetter.stream()), deadLetter.version(), deadLetter.eventType(),
                deadLetter.position(), deadLetter.attempts(), deadLetter.error(), deadLetter.firstFailedAt(),
                deadLetter.lastFailedAt()));
    }

    @Override
    public List<DeadLetter> list(String subscription, int limit) {
        List<DeadLetter> stored = shared.list(scoped(subscription), limit);
        List<DeadLetter> result = new ArrayList<>(stored.size());
        stored.forEach(letter -> result.add(unscoped(letter)));
        return List.copyOf(result);
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        return own(id).map(this::unscoped);
    }

    @Override
    public long count(String subscription) {
        return shared.count(scoped(subscription));
    }

    @Override
    public boolean delete(UUID id) {
        return own(id).isPresent() && shared.delete(id);
    }

    @Override
    public int deleteAll(String subscription) {
        return shared.deleteAll(scoped(subscription));
    }
}
