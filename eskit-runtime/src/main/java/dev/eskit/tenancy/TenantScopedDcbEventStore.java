package dev.eskit.tenancy;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.dcb.TaggedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One tenant's view of a shared {@link DcbEventStore}: stream operations go through the tenant's
 * {@link TenantScopedEventStore}; every event the view appends by DCB carries the tenant's tag
 * ({@code ~eskit-tenant=<tenant>}), and every query item it reads or conditions on requires that tag, so a tenant's
 * boundaries only ever contain its own events and another tenant's appends never fail its conditions.
 *
 * <p>The tenant tag has no colon, while every tag a {@code @Tag} component generates has one ({@code prefix:value}),
 * and explicit tags starting with {@code ~eskit-tenant=} are refused: no event of another tenant can carry it. DCB
 * appends carry the tenant in their metadata ({@link TenantScope#mark}), which puts them into the tenant's own streams
 * ({@code <tenant>::dcb/<id>} in the shared store, {@code dcb/<id>} in this view; see
 * {@link TenantScope#dcbStreamType}), so the tenant's stream reads ({@link #readAll}, subscriptions, stream admin)
 * include them and no other tenant's reads do. Events the tenant appended to its ordinary streams are not in its DCB
 * boundaries (they lack the tenant tag).
 */
public final class TenantScopedDcbEventStore implements DcbEventStore {

    /** The start of the reserved tenant tag. */
    public static final String TENANT_TAG_PREFIX = "~eskit-tenant=";

    private final DcbEventStore shared;
    private final TenantScopedEventStore streams;
    private final Tag tenantTag;

    TenantScopedDcbEventStore(TenantScope scope, DcbEventStore shared) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.streams = scope.events(shared);
        this.tenantTag = Tag.of(TENANT_TAG_PREFIX + scope.tenant().value());
    }

    /** The tenant's scope. */
    public TenantScope scope() {
        return streams.scope();
    }

    /** The tag every event of this tenant's DCB appends carries. */
    public Tag tenantTag() {
        return tenantTag;
    }

    private static void checkTags(List<Tag> tags) {
        for (Tag tag : tags) {
            if (tag.value().startsWith(TENANT_TAG_PREFIX)) {
                throw new InvalidInputException("Tag \"" + tag + "\" starts with \"" + TENANT_TAG_PREFIX
                        + "\", which eskit reserves for tenant views. Use another tag.");
            }
        }
    }

    /** {@code query} with the tenant tag required by every item. */
    Query scoped(Query query) {
        Objects.requireNonNull(query, "query");
        List<QueryItem> items = new ArrayList<>(query.items().size());
        for (QueryItem item : query.items()) {
            checkTags(item.tags());
            items.add(item.withTags(tenantTag));
        }
        return Query.of(items);
    }

    @Override
    public List<StoredEvent<Object>> read(Query query, Position after, int limit) {
        List<StoredEvent<Object>> found = shared.read(scoped(query), after, limit);
        List<StoredEvent<Object>> result = new ArrayList<>(found.size());
        for (StoredEvent<Object> event : found) {
            result.add(unscoped(event));
        }
        return result;
    }

    /**
     * {@code event} as the tenant sees it: its stream unscoped ({@code acme::dcb/<id>} becomes {@code dcb/<id>}).
     * Events of the shared {@code dcb} streams carrying this tenant's tag were appended through a view before DCB
     * streams were scoped per tenant, and are returned as they are; anything else is refused.
     */
    private StoredEvent<Object> unscoped(StoredEvent<Object> event) {
        TenantScope scope = streams.scope();
        if (!scope.owns(event.stream()) && event.streamType().equals(DCB_STREAM_TYPE)) {
            return event;
        }
        return new StoredEvent<>(event.id(), scope.unscoped(event.stream()), event.version(), event.eventType(),
                event.schemaVersion(), event.position(), event.timestamp(), event.metadata(), event.data());
    }

    @Override
    public AppendResult append(List<?> events, AppendCondition condition, Metadata metadata) {
        Objects.requireNonNull(events, "events");
        List<Object> tagged = new ArrayList<>(events.size());
        for (Object event : events) {
            if (event == null) {
                tagged.add(null); // the shared store reports the null with its index
                continue;
            }
            TaggedEvent given = TaggedEvent.wrap(event);
            checkTags(given.tags());
            List<Tag> tags = new ArrayList<>(given.tags());
            tags.add(tenantTag);
            tagged.add(TaggedEvent.of(given.event(), tags));
        }
        AppendCondition scoped = condition == null ? null
                : new AppendCondition(scoped(condition.query()), condition.after());
        // The tenant mark puts the events into the tenant's own DCB streams (TenantScope.dcbStreamType).
        AppendResult result = shared.append(tagged, scoped, streams.scope().mark(
                Objects.requireNonNull(metadata, "metadata")));
        List<StoredEvent<Object>> appended = new ArrayList<>(result.events().size());
        for (StoredEvent<Object> event : result.events()) {
            appended.add(unscoped(event));
        }
        return new AppendResult(appended, result.duplicate());
    }

    @Override
    public AppendResult append(AppendRequest request) {
        return streams.append(request);
    }

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return streams.load(stream, fromVersion);
    }

    @Override
    public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
        streams.load(stream, fromVersion, action);
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return streams.streamVersion(stream);
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        return streams.readAll(after, limit, eventTypes);
    }

    @Override
    public List<StoredEvent<Object>> readStreamType(String streamType, Position after, int limit) {
        return streams.readStreamType(streamType, after, limit);
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        return streams.findIdempotentAppend(idempotencyKey);
    }

    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return streams.personalData();
    }

    /** Does nothing: the shared store belongs to whoever created it. */
    @Override
    public void close() {
    }
}
