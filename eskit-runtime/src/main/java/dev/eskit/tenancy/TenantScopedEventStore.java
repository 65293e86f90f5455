package dev.eskit.tenancy;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Limits;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant's view of a shared {@link EventStore}: every stream, read and idempotency key is confined to the tenant.
 *
 * <p>Stream {@code account/a-1} of tenant {@code acme} is stored as stream type {@code acme::account}, id {@code a-1};
 * idempotency key {@code k} as {@code acme::k}. Tenant ids cannot contain {@code :}, so no stream type or id a tenant
 * passes (such as {@code "other::account"} or {@code "other-tenant/x"}) can reach another tenant's streams: the prefix
 * is always the view's own. Events handed back carry the stream as the tenant wrote it ({@code account/a-1}).
 * {@link #readAll(Position, int, Set)} returns only the tenant's events.
 *
 * <pre>{@code
 * EventStore acme = TenantScopedEventStore.of(shared, TenantId.of("acme"));
 * acme.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(opened));
 * }</pre>
 *
 * <p>The prefix counts towards the 256-character limit of stream types and idempotency keys. {@link #close()} does
 * not close the shared store.
 */
public final class TenantScopedEventStore implements EventStore {

    private static final int MIN_PAGE = 500;

    private final EventStore shared;
    private final TenantId tenant;
    private final String prefix;

    private TenantScopedEventStore(EventStore shared, TenantId tenant) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.prefix = tenant.value() + Tenancy.SEPARATOR;
    }

    /** The view of {@code tenant} on {@code shared}. */
    public static TenantScopedEventStore of(EventStore shared, TenantId tenant) {
        return new TenantScopedEventStore(shared, tenant);
    }

    /** The tenant. */
    public TenantId tenant() {
        return tenant;
    }

    /** The stream as the shared store keeps it. */
    public StreamRef scoped(StreamRef stream) {
        return StreamRef.of(prefix + stream.type(), stream.id());
    }

    private boolean owns(StreamRef stored) {
        return stored.type().startsWith(prefix);
    }

    private StoredEvent<Object> unscoped(StoredEvent<Object> event) {
        StreamRef stream = StreamRef.of(event.streamType().substring(prefix.length()), event.streamId());
        return new StoredEvent<>(event.id(), stream, event.version(), event.eventType(), event.schemaVersion(),
                event.position(), event.timestamp(), event.metadata(), event.data());
    }

    private List<StoredEvent<Object>> unscoped(List<StoredEvent<Object>> events) {
        List<StoredEvent<Object>> result = new ArrayList<>(events.size());
        for (StoredEvent<Object> event : events) {
            if (!owns(event.stream())) {
                // Cannot happen through this view; refuse rather than leak another tenant's event.
                throw new IllegalStateException("The shared store returned an event of stream " + event.stream()
                        + " to tenant \"" + tenant + "\"");
            }
            result.add(unscoped(event));
        }
        return result;
    }

    private String scopedKey(String idempotencyKey) {
        return idempotencyKey == null ? null : prefix + idempotencyKey;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        AppendRequest scoped = new AppendRequest(scoped(request.stream()), request.expected(), request.events(),
                request.metadata(), scopedKey(request.idempotencyKey()));
        AppendResult result = shared.append(scoped);
        return new AppendResult(unscoped(result.events()), result.duplicate());
    }

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return unscoped(shared.load(scoped(stream), fromVersion));
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return shared.streamVersion(scoped(stream));
    }

    /**
     * The tenant's events after {@code after}. Reads the shared log page by page and keeps the tenant's events, so a
     * tenant with few events in a busy log reads more rows than it returns.
     */
    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        EventStore.checkReadLimit(limit);
        int page = Math.min(Limits.MAX_READ_LIMIT, Math.max(limit, MIN_PAGE));
        List<StoredEvent<Object>> result = new ArrayList<>(Math.min(limit, 64));
        Position from = after;
        while (true) {
            List<StoredEvent<Object>> batch = shared.readAll(from, page, eventTypes);
            for (StoredEvent<Object> event : batch) {
                if (owns(event.stream())) {
                    result.add(unscoped(event));
                    if (result.size() == limit) {
                        return result;
                    }
                }
            }
            if (batch.size() < page) {
                return result;
            }
            from = batch.get(batch.size() - 1).position();
        }
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        EventStore.checkIdempotencyKey(idempotencyKey);
        return shared.findIdempotentAppend(scopedKey(idempotencyKey))
                .filter(found -> found.events().stream().allMatch(e -> owns(e.stream())))
                .map(found -> new AppendResult(unscoped(found.events()), found.duplicate()));
    }

    /** Does nothing: the shared store belongs to whoever created it. */
    @Override
    public void close() {
    }
}
