package dev.eskit.tenancy;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.store.HeadAppender;
import dev.eskit.store.StreamTypePrefixReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One tenant's view of a shared {@link EventStore}: every stream, read and idempotency key is confined to the tenant.
 *
 * <p>Stream {@code account/a-1} of tenant {@code acme} is stored as stream type {@code acme::account}, id {@code a-1};
 * idempotency key {@code k} as {@code acme::k}. Tenant ids cannot contain {@code :}, so no stream type or id a tenant
 * passes (such as {@code "other::account"} or {@code "other-tenant/x"}) can reach another tenant's streams: the prefix
 * is always the view's own. Events handed back carry the stream as the tenant wrote it ({@code account/a-1}).
 * {@link #readAll(Position, int, Set)} returns only the tenant's events, and on stores that filter before decoding
 * (the Jdbi stores, see {@link StreamTypePrefixReader}) never decodes another tenant's, so one tenant's unreadable
 * event never fails another tenant's reads. The naming lives in {@link TenantScope}, which also hands out the
 * tenant's views of snapshots, checkpoints, dead letters, todo lists, stream administration and subject keys.
 *
 * <pre>{@code
 * EventStore acme = TenantScopedEventStore.of(shared, TenantId.of("acme"));
 * acme.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(opened));
 * }</pre>
 *
 * <p>The prefix counts towards the 256-character limit of stream types and idempotency keys. {@link #close()} does
 * not close the shared store. Where the shared store is a {@link HeadAppender}, so is the view (the tenant's command
 * handlers with a state cache then decide before they read).
 */
public final class TenantScopedEventStore implements EventStore, HeadAppender {

    private final EventStore shared;
    private final TenantScope scope;

    private TenantScopedEventStore(EventStore shared, TenantId tenant) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.scope = TenantScope.of(Objects.requireNonNull(tenant, "tenant"));
    }

    /**
     * The view of {@code tenant} on {@code shared}. Given the tenant's own view, returns it (a view of a view would
     * prefix every name twice).
     *
     * @throws InvalidTenantException when {@code shared} is another tenant's view, or wraps one: a view of it would
     *                                write into that tenant's names
     */
    public static TenantScopedEventStore of(EventStore shared, TenantId tenant) {
        Objects.requireNonNull(shared, "shared");
        Objects.requireNonNull(tenant, "tenant");
        java.util.Optional<TenantScope> inner = TenantScope.of(shared);
        if (inner.isPresent()) {
            if (shared instanceof TenantScopedEventStore view && view.tenant().equals(tenant)) {
                return view;
            }
            throw new InvalidTenantException("The event store given for tenant \"" + tenant + "\" is "
                    + (inner.get().tenant().equals(tenant) ? "a wrapper of its own view" : "a view of tenant \""
                    + inner.get().tenant() + "\"") + ". Build each tenant's view on the shared store.");
        }
        return new TenantScopedEventStore(shared, tenant);
    }

    /** The tenant. */
    public TenantId tenant() {
        return scope.tenant();
    }

    /** The tenant's scope: how its names are kept, and its views of the other shared stores. */
    public TenantScope scope() {
        return scope;
    }

    /** The stream as the shared store keeps it. */
    public StreamRef scoped(StreamRef stream) {
        return scope.stream(stream);
    }

    private StoredEvent<Object> unscoped(StoredEvent<Object> event) {
        return new StoredEvent<>(event.id(), scope.unscoped(event.stream()), event.version(), event.eventType(),
                event.schemaVersion(), event.position(), event.timestamp(), event.metadata(), event.data());
    }

    private List<StoredEvent<Object>> unscoped(List<StoredEvent<Object>> events) {
        List<StoredEvent<Object>> result = new ArrayList<>(events.size());
        for (StoredEvent<Object> event : events) {
            // unscoped(...) refuses another tenant's event rather than leak it (cannot happen through this view).
            result.add(unscoped(event));
        }
        return result;
    }

    private String scopedKey(String idempotencyKey) {
        return idempotencyKey == null ? null : scope.prefix() + idempotencyKey;
    }

    /**
     * {@code metadata} marked with the tenant when it holds an extra the store's protector treats as personal, so that
     * the codec seals it under the tenant's key ({@code <tenant>::<subject>}); other metadata as it is. Metadata that
     * names a tenant ({@link Tenancy#METADATA_KEY}) must name this one.
     *
     * @throws InvalidTenantException when it names another tenant or an invalid tenant id; nothing is written
     */
    private dev.eskit.Metadata personal(dev.eskit.Metadata metadata) {
        if (metadata == null || metadata.extras().isEmpty()) {
            return metadata;
        }
        if (metadata.extras().containsKey(Tenancy.METADATA_KEY)) {
            scope.mark(metadata);
        }
        java.util.Set<String> keys = shared.personalData().map(p -> p.personalMetadataKeys())
                .orElse(java.util.Set.of());
        for (String key : metadata.extras().keySet()) {
            if (keys.contains(key)) {
                return scope.mark(metadata);
            }
        }
        return metadata;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        return unscoped(shared.append(scoped(request)));
    }

    /** {@inheritDoc} Whether the shared store appends at a known last event. */
    @Override
    public boolean appendsAtHead() {
        return shared instanceof HeadAppender heads && heads.appendsAtHead();
    }

    /** {@inheritDoc} The shared store's, on the tenant's stream; empty where the shared store has none. */
    @Override
    public Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(headEventId, "headEventId");
        if (!(shared instanceof HeadAppender heads)) {
            return Optional.empty();
        }
        return heads.appendAtHead(scoped(request), headEventId).map(this::unscoped);
    }

    /** The shared store this view appends to and reads from. */
    public EventStore shared() {
        return shared;
    }

    /**
     * {@code request} as the shared store takes it (stream, idempotency key and personal metadata scoped), for a store
     * that appends a view's request inside its own transaction and hands the result back through {@link #unscoped}.
     */
    public AppendRequest scoped(AppendRequest request) {
        return new AppendRequest(scoped(request.stream()), request.expected(), request.events(),
                personal(request.metadata()), scopedKey(request.idempotencyKey()));
    }

    /**
     * {@code result} of the shared store as this view shows it (the streams as the tenant wrote them).
     *
     * @throws IllegalStateException when it holds another tenant's event
     */
    public AppendResult unscoped(AppendResult result) {
        return new AppendResult(unscoped(result.events()), result.duplicate());
    }

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return unscoped(shared.load(scoped(stream), fromVersion));
    }

    /** Streams the tenant's stream from the shared store, with bounded memory where the shared store has it. */
    @Override
    public void load(StreamRef stream, long fromVersion,
                     java.util.function.Consumer<? super StoredEvent<Object>> action) {
        Objects.requireNonNull(action, "action");
        shared.load(scoped(stream), fromVersion, event -> action.accept(unscoped(event)));
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return shared.streamVersion(scoped(stream));
    }

    /**
     * The tenant's events after {@code after}. The shared log is read with the tenant's stream-type prefix: stores
     * that implement {@link StreamTypePrefixReader} skip other tenants' rows before decoding them; on others the log
     * is read page by page and filtered, so a tenant with few events in a busy log reads more rows than it returns.
     */
    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        EventStore.checkReadLimit(limit);
        return unscoped(StreamTypePrefixReader.scan(shared, scope.prefix(), after, limit, eventTypes));
    }

    /** The tenant's events of streams of {@code streamType}, read from the shared store by the scoped stream type. */
    @Override
    public List<StoredEvent<Object>> readStreamType(String streamType, Position after, int limit) {
        return unscoped(shared.readStreamType(scope.name("Stream type", streamType), after, limit));
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        EventStore.checkIdempotencyKey(idempotencyKey);
        return shared.findIdempotentAppend(scopedKey(idempotencyKey))
                .filter(found -> found.events().stream().allMatch(e -> scope.owns(e.stream())))
                .map(found -> new AppendResult(unscoped(found.events()), found.duplicate()));
    }

    /** The shared store's protector, keyed to this tenant's subjects. */
    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return shared.personalData().map(protector -> protector.forTenant(scope.tenant()));
    }

    /** Does nothing: the shared store belongs to whoever created it. */
    @Override
    public void close() {
    }
}
