package dev.eskit.tenancy;

import dev.eskit.EventStore;
import dev.eskit.Names;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.todo.TodoStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that decides how a tenant's names are kept in shared stores, and that hands out the tenant's views of
 * them. Every name a tenant passes (stream type, idempotency key, subscription name, todo list, data subject id) is
 * kept as {@code <tenant>::<name>}; tenant ids cannot contain {@code :} (see {@link TenantId}), so no name one tenant
 * passes can reach another tenant's data, and every view checks what the shared store hands back.
 *
 * <pre>{@code
 * TenantScope acme = TenantScope.of(TenantId.of("acme"));
 * EventStore events = acme.events(shared);
 * SnapshotStore snapshots = acme.snapshots(jdbiStore.snapshots());
 * DeadLetterStore deadLetters = acme.deadLetters(jdbiDeadLetters);
 * }</pre>
 *
 * <p>DCB stores ({@link #dcb}), leader elections ({@link #leaders}), command logs ({@link #commandLog}), durable
 * command queues ({@link #commandQueue}) and partition leases ({@link #partitionLeases}) have views too.
 *
 * <p>{@link dev.eskit.command.CommandHandler} and {@link dev.eskit.subscription.Subscription} built on a tenant's
 * event store scope the snapshot, checkpoint and dead-letter stores they are given with {@link #adopt}, so passing a
 * shared store there is safe; passing another tenant's view fails at build time.
 */
public final class TenantScope {

    private final TenantId tenant;
    private final String prefix;

    private TenantScope(TenantId tenant) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.prefix = tenant.value() + Tenancy.SEPARATOR;
    }

    /** The scope of {@code tenant}. */
    public static TenantScope of(TenantId tenant) {
        return new TenantScope(tenant);
    }

    /**
     * The tenant scope of {@code store}: present when it is a {@link TenantScopedEventStore} or a
     * {@link ForwardingEventStore} (hooks, metrics) around one.
     */
    public static Optional<TenantScope> of(EventStore store) {
        EventStore current = store;
        for (int depth = 0; depth < 32 && current != null; depth++) {
            if (current instanceof TenantScopedEventStore scoped) {
                return Optional.of(scoped.scope());
            }
            if (current instanceof TenantScopedDcbEventStore scoped) {
                return Optional.of(scoped.scope());
            }
            current = current instanceof ForwardingEventStore forwarding ? forwarding.delegate() : null;
        }
        return Optional.empty();
    }

    /** The tenant. */
    public TenantId tenant() {
        return tenant;
    }

    /** The prefix of every name this tenant keeps in a shared store: {@code "<tenant>::"}. */
    public String prefix() {
        return prefix;
    }

    /** The name as a shared store keeps it; checks {@code name} first (non-empty, bounded, valid Unicode). */
    public String name(String what, String name) {
        Names.check(what, name);
        return Names.check(what, prefix + name);
    }

    /** Whether {@code storedName} (as the shared store keeps it) belongs to this tenant. */
    public boolean owns(String storedName) {
        return storedName != null && storedName.startsWith(prefix);
    }

    /**
     * The name as the tenant knows it.
     *
     * @throws IllegalStateException when {@code storedName} is not this tenant's: a shared store handed back another
     *                               tenant's data, which is refused rather than leaked
     */
    public String unscoped(String storedName) {
        if (!owns(storedName)) {
            throw new IllegalStateException("A shared store handed \"" + storedName + "\" to tenant \"" + tenant
                    + "\". Nothing of another tenant is returned; check the store implementation.");
        }
        return storedName.substring(prefix.length());
    }

    /** The stream as a shared store keeps it. */
    public StreamRef stream(StreamRef stream) {
        return StreamRef.of(prefix + stream.type(), stream.id());
    }

    /** Whether {@code stored} (as the shared store keeps it) is one of this tenant's streams. */
    public boolean owns(StreamRef stored) {
        return owns(stored.type());
    }

    /** The stream as the tenant knows it; see {@link #unscoped(String)}. */
    public StreamRef unscoped(StreamRef stored) {
        return StreamRef.of(unscoped(stored.type()), stored.id());
    }

    /**
     * The stream type of the stream a DCB append with {@code metadata} creates: {@code <tenant>::dcb} when the metadata
     * carries a tenant ({@link Tenancy#METADATA_KEY}, which a tenant's {@link #dcb} view always sets), else
     * {@link dev.eskit.dcb.DcbEventStore#DCB_STREAM_TYPE}. Every DCB store resolves its streams through this, so a
     * tenant's DCB events are in the tenant's streams.
     *
     * @throws InvalidTenantException when the metadata carries an invalid tenant id
     */
    public static String dcbStreamType(dev.eskit.Metadata metadata) {
        String value = metadata == null ? null : metadata.extras().get(Tenancy.METADATA_KEY);
        return value == null ? dev.eskit.dcb.DcbEventStore.DCB_STREAM_TYPE
                : TenantId.of(value).value() + Tenancy.SEPARATOR + dev.eskit.dcb.DcbEventStore.DCB_STREAM_TYPE;
    }

    /**
     * {@code metadata} marked as this tenant's ({@link Tenancy#METADATA_KEY}).
     *
     * @throws InvalidTenantException when it is marked as another tenant's
     */
    public dev.eskit.Metadata mark(dev.eskit.Metadata metadata) {
        java.util.Objects.requireNonNull(metadata, "metadata");
        String value = metadata.extras().get(Tenancy.METADATA_KEY);
        if (value == null) {
            return metadata.with(Tenancy.METADATA_KEY, tenant.value());
        }
        if (!value.equals(tenant.value())) {
            throw new InvalidTenantException("Metadata of tenant " + dev.eskit.Limits.abbreviate(value)
                    + " was given to tenant \"" + tenant + "\". Send each tenant's commands and appends with its own"
                    + " tenant, or without one.");
        }
        return metadata;
    }

    /** This tenant's view of a shared event store. */
    public TenantScopedEventStore events(EventStore shared) {
        return TenantScopedEventStore.of(shared, tenant);
    }

    /**
     * This tenant's view of a shared DCB store: stream operations as {@link #events}, and DCB appends, reads and
     * conditions confined to the tenant's own DCB events (see {@link TenantScopedDcbEventStore}).
     */
    public TenantScopedDcbEventStore dcb(dev.eskit.dcb.DcbEventStore shared) {
        if (shared instanceof TenantScopedDcbEventStore view) {
            return same(view.scope(), view, "DCB store");
        }
        return new TenantScopedDcbEventStore(this, shared);
    }

    /**
     * This tenant's view of a shared leader election: role {@code mailer} is elected as {@code <tenant>::mailer}, so
     * each tenant's roles run once, independently of other tenants' roles of the same name.
     *
     * <pre>{@code
     * LeaderSupervisor supervisor = LeaderSupervisor.create(acme.leaders(election), Duration.ofSeconds(5));
     * }</pre>
     */
    public dev.eskit.leader.LeaderElection leaders(dev.eskit.leader.LeaderElection shared) {
        if (shared instanceof TenantScopedLeaderElection view) {
            return same(view.scope(), view, "leader election");
        }
        return new TenantScopedLeaderElection(this, shared);
    }

    /** This tenant's view of a shared checkpoint store (a view of this tenant is returned as it is). */
    public CheckpointStore checkpoints(CheckpointStore shared) {
        if (shared instanceof TenantScopedCheckpointStore view) {
            return same(view.scope(), view, "checkpoint store");
        }
        return TenantScopedCheckpointStore.of(shared, tenant);
    }

    /** This tenant's view of a shared snapshot store (a view of this tenant is returned as it is). */
    public SnapshotStore snapshots(SnapshotStore shared) {
        if (shared instanceof TenantScopedSnapshotStore view) {
            return same(view.scope(), view, "snapshot store");
        }
        return new TenantScopedSnapshotStore(this, shared);
    }

    /** This tenant's view of a shared dead-letter store (a view of this tenant is returned as it is). */
    public DeadLetterStore deadLetters(DeadLetterStore shared) {
        if (shared instanceof TenantScopedDeadLetterStore view) {
            return same(view.scope(), view, "dead-letter store");
        }
        return new TenantScopedDeadLetterStore(this, shared);
    }

    /** This tenant's view of a shared todo store (a view of this tenant is returned as it is). */
    public TodoStore todos(TodoStore shared) {
        if (shared instanceof TenantScopedTodoStore view) {
            return same(view.scope(), view, "todo store");
        }
        return new TenantScopedTodoStore(this, shared);
    }

    /**
     * This tenant's view of a shared command log: entries are recorded with the tenant in their metadata and only the
     * tenant's entries are found (a view of this tenant is returned as it is).
     */
    public dev.eskit.command.log.CommandLog commandLog(dev.eskit.command.log.CommandLog shared) {
        if (shared instanceof TenantScopedCommandLog view) {
            return same(view.scope(), view, "command log");
        }
        return new TenantScopedCommandLog(this, shared);
    }

    /**
     * This tenant's view of a shared durable command queue store: commands are kept as {@code <tenant>::<id>} with the
     * tenant in their metadata, and the view claims, finds, lists, finishes, retries and requeues only the tenant's
     * (a view of this tenant is returned as it is). A {@link dev.eskit.command.queue.CommandQueue} on a tenant's
     * {@link dev.eskit.command.CommandBus} uses it for whatever store it is given.
     */
    public TenantScopedCommandQueueStore commandQueue(dev.eskit.command.queue.CommandQueueStore shared) {
        if (shared instanceof TenantScopedCommandQueueStore view) {
            return same(view.scope(), view, "command queue store");
        }
        return new TenantScopedCommandQueueStore(this, shared);
    }

    /**
     * This tenant's view of a shared partition lease store: partitioned subscription {@code orders} takes its leases
     * as {@code <tenant>::orders} (a view of this tenant is returned as it is). A
     * {@link dev.eskit.partition.PartitionedSubscription} on a tenant's event store uses it for whatever lease store
     * it is given.
     */
    public dev.eskit.partition.PartitionLeaseStore partitionLeases(dev.eskit.partition.PartitionLeaseStore shared) {
        if (shared instanceof TenantScopedPartitionLeaseStore view) {
            return same(view.scope(), view, "partition lease store");
        }
        return new TenantScopedPartitionLeaseStore(this, shared);
    }

    /**
     * This tenant's view of a shared change notifier: read model {@code balances} is {@code <tenant>::balances} of
     * the shared notifier, so the tenant's live views are never woken or fed by another tenant's changes, resyncs or
     * history (see {@link dev.eskit.change.ChangeNotifier#forTenant}; a view of this tenant is returned as it is).
     *
     * <pre>{@code
     * ChangeNotifier acmeChanges = acme.changes(notifier);
     * ChangeSubscription live = acmeChanges.subscribe(List.of(Topic.of("balances", "a-1")));
     * }</pre>
     */
    public dev.eskit.change.ChangeNotifier changes(dev.eskit.change.ChangeNotifier shared) {
        return shared.forTenant(this);
    }

    /** This tenant's view of a shared store's stream administration (archive, tombstone, delete). */
    public StreamAdmin admin(StreamAdmin shared) {
        if (shared instanceof TenantScopedStreamAdmin view) {
            return same(view.scope(), view, "stream admin");
        }
        return new TenantScopedStreamAdmin(this, shared);
    }

    /** This tenant's view of a shared subject key store: data subject {@code c-1} is kept as {@code acme::c-1}. */
    public SubjectKeyStore subjectKeys(SubjectKeyStore shared) {
        if (shared instanceof TenantScopedSubjectKeyStore view) {
            return same(view.scope(), view, "subject key store");
        }
        return new TenantScopedSubjectKeyStore(this, shared);
    }

    /**
     * {@code shared} scoped like {@code events}: unchanged when {@code events} belongs to no tenant, this tenant's
     * view when it does. Command handlers and subscriptions call it for every store they are given.
     *
     * @throws InvalidTenantException when {@code shared} is another tenant's view
     */
    public static SnapshotStore adopt(EventStore events, SnapshotStore shared) {
        return of(events).map(scope -> scope.snapshots(shared)).orElse(shared);
    }

    /** See {@link #adopt(EventStore, SnapshotStore)}. */
    public static CheckpointStore adopt(EventStore events, CheckpointStore shared) {
        return of(events).map(scope -> scope.checkpoints(shared)).orElse(shared);
    }

    /** See {@link #adopt(EventStore, SnapshotStore)}. */
    public static DeadLetterStore adopt(EventStore events, DeadLetterStore shared) {
        return of(events).map(scope -> scope.deadLetters(shared)).orElse(shared);
    }

    /** See {@link #adopt(EventStore, SnapshotStore)}. */
    public static dev.eskit.partition.PartitionLeaseStore adopt(EventStore events,
                                                                dev.eskit.partition.PartitionLeaseStore shared) {
        return of(events).map(scope -> scope.partitionLeases(shared)).orElse(shared);
    }

    /**
     * {@code recorder} as a bus on {@code events} uses it: unchanged outside any tenant, recording into the tenant's
     * view of its log ({@link dev.eskit.command.log.CommandRecorder#forTenant}) on a tenant's store, so a shared log
     * given to a tenant's bus never receives an unscoped entry. {@code CommandBus.Builder.build} calls it.
     *
     * @throws InvalidTenantException when the recorder's log is another tenant's view
     */
    public static dev.eskit.command.log.CommandRecorder adopt(EventStore events,
                                                              dev.eskit.command.log.CommandRecorder recorder) {
        return of(events).map(recorder::forTenant).orElse(recorder);
    }

    private <T> T same(TenantScope other, T view, String what) {
        if (!other.tenant.equals(tenant)) {
            throw new InvalidTenantException("A " + what + " of tenant \"" + other.tenant + "\" was given to tenant \""
                    + tenant + "\". Give each tenant's handlers and subscriptions the shared store or that"
                    + " tenant's own view.");
        }
        return view;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TenantScope scope && scope.tenant.equals(tenant);
    }

    @Override
    public int hashCode() {
        return tenant.hashCode();
    }

    @Override
    public String toString() {
        return "TenantScope[" + tenant + "]";
    }
}
