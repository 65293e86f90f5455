package dev.eskit.jdbi;

import dev.eskit.AppendResult;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.Tombstone;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.subscription.BacklogProbe;
import dev.eskit.subscription.SubscriptionLag;
import dev.eskit.store.StreamDataReader;
import dev.eskit.store.StreamTypePrefixReader;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.time.Instant;
import java.util.Optional;

/**
 * The stream administration, Dynamic Consistency Boundary and log-scan facets of {@link JdbiEventStore} (the reads
 * subscriptions and tenant views use besides {@code readAll}), apart from its core (appends, stream and log reads,
 * notifications, settings). They only hand each call to the class that does the work: {@link StreamAdministration},
 * {@link DcbAccess}, {@link EventReader} or {@link LogBacklog}. Package-private: the public methods appear on
 * {@code JdbiEventStore}.
 */
abstract class StoreFacets implements StreamAdmin, DcbEventStore, BacklogProbe, StreamTypePrefixReader,
        StreamDataReader {

    StoreFacets() {
    }

    /** The streams table's status and stream deletion. */
    abstract StreamAdministration administration();

    /** Conditional appends and query reads. */
    abstract DcbAccess dcb();

    /** Event reads and decoding. */
    abstract EventReader reader();

    /** Subscription backlogs. */
    abstract LogBacklog logBacklog();

    // ---------------------------------------------------------------------------------------- command loads

    /**
     * {@inheritDoc}
     *
     * <p>Reads only the columns decoding needs (no metadata), in pages like {@code load(stream, fromVersion, action)}.
     */
    @Override
    public void loadData(StreamRef stream, long fromVersion, DataAction action) {
        reader().loadData(stream, fromVersion, action);
    }

    @Override
    public boolean loadDataWithIds(StreamRef stream, long fromVersion, IdentifiedDataAction action) {
        reader().loadData(stream, fromVersion, action);
        return true;
    }

    // ------------------------------------------------------------------------------------------- stream admin

    @Override
    public StreamStatus status(StreamRef stream) {
        return administration().status(stream);
    }

    @Override
    public void archive(StreamRef stream) {
        administration().archive(stream);
    }

    @Override
    public void restore(StreamRef stream) {
        administration().restore(stream);
    }

    @Override
    public void tombstone(StreamRef stream) {
        administration().tombstone(stream);
    }

    /** Tombstones the stream and records {@code reason} and the time (schema version 4). */
    @Override
    public void tombstone(StreamRef stream, String reason) {
        administration().tombstone(stream, reason);
    }

    @Override
    public Optional<Tombstone> tombstoneOf(StreamRef stream) {
        return administration().tombstoneOf(stream);
    }

    @Override
    public long delete(StreamRef stream) {
        return administration().delete(stream);
    }

    // --------------------------------------------------------------------------- dynamic consistency boundaries

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the transaction first takes advisory locks on the (type, tag) keys of the condition's query
     * (exclusive) and of the new events (shared), in ascending key order, then checks the condition with a fresh READ
     * COMMITTED statement, so it sees every event committed by an append it waited for. Appends whose boundaries share
     * no key run in parallel.
     */
    @Override
    public AppendResult append(List<?> events, AppendCondition condition, Metadata metadata) {
        return dcb().append(events, condition, metadata);
    }

    @Override
    public List<StoredEvent<Object>> read(Query query, Position after, int limit) {
        return dcb().read(query, after, limit);
    }

    // ----------------------------------------------------------------------------------------------- log scans

    /**
     * {@inheritDoc} On PostgreSQL it also tells whether some events wait behind the read horizon because an older
     * append transaction is still open, and for how long. {@link dev.eskit.subscription.Subscription#lag()} calls it.
     */
    @Override
    public SubscriptionLag backlog(Position after, Set<String> eventTypes, int cap, Instant now) {
        return logBacklog().measure(after, eventTypes, cap, now);
    }

    /** {@inheritDoc} The log read of a tenant view ({@code dev.eskit.tenancy}). */
    @Override
    public List<StoredEvent<Object>> readAllWithStreamTypePrefix(String streamTypePrefix, Position after, int limit,
                                                                 Set<String> eventTypes) {
        return reader().readAllWithStreamTypePrefix(streamTypePrefix, after, limit, eventTypes);
    }

    /** The newest event a log reader can see now: one indexed lookup (below the horizon on PostgreSQL). */
    @Override
    public Position latestPosition() {
        return reader().latestPosition();
    }

    /** The events of streams of {@code streamType} in log order, filtered by the database (nothing else decoded). */
    @Override
    public List<StoredEvent<Object>> readStreamType(String streamType, Position after, int limit) {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(after, "after");
        dev.eskit.EventStore.checkReadLimit(limit);
        return reader().readStreamType(streamType, after, limit);
    }
}
