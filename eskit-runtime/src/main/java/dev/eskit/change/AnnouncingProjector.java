package dev.eskit.change;

import dev.eskit.EventStore;
import dev.eskit.StoredEvent;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.tenancy.TenantScope;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A projector that announces a change after each event it applied; see {@link ChangeNotifier#announcing}. */
final class AnnouncingProjector implements Projector {

    private final ChangeNotifier notifier;
    private final Projector delegate;
    private final ChangeKeys keys;

    private AnnouncingProjector(ChangeNotifier notifier, Projector delegate, ChangeKeys keys) {
        this.notifier = notifier;
        this.delegate = delegate;
        this.keys = keys;
    }

    static Projector wrap(ChangeNotifier notifier, Projector projector, ChangeKeys keys) {
        return new AnnouncingProjector(notifier, Objects.requireNonNull(projector, "projector"),
                Objects.requireNonNull(keys, "keys"));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<String> eventTypes() {
        return delegate.eventTypes();
    }

    @Override
    public void handle(StoredEvent<Object> event) throws Exception {
        // Keys first: if naming them fails, the read model is untouched and the event is retried as a whole.
        Collection<String> changed = keys.keys(event);
        delegate.handle(event);
        notifier.publish(Change.of(delegate.name(), changed.size() > Change.MAX_KEYS ? Set.of() : changed,
                event.position()));
    }

    /**
     * The subscription of this projector on {@code store}; on a tenant's store it announces through the tenant's view
     * of the notifier ({@link ChangeNotifier#forTenant}), so tenants' same-named read models never share changes.
     */
    @Override
    public Subscription.Builder subscription(EventStore store, CheckpointStore checkpoints) {
        Optional<TenantScope> scope = TenantScope.of(store);
        if (scope.isPresent()) {
            ChangeNotifier view = notifier.forTenant(scope.get());
            if (view != notifier) {
                return new AnnouncingProjector(view, delegate, keys).subscription(store, checkpoints);
            }
        }
        return Projector.super.subscription(store, checkpoints);
    }

    @Override
    public void reset() {
        delegate.reset();
        notifier.resync(delegate.name(), "rebuild");
    }

    @Override
    public String toString() {
        return "Announcing" + delegate;
    }
}
