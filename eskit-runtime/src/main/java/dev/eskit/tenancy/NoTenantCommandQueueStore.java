package dev.eskit.tenancy;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueueClaim;
import dev.eskit.command.queue.QueueFinish;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The part of a shared {@link CommandQueueStore} that belongs to no tenant: what a
 * {@link dev.eskit.command.queue.CommandQueue} on a bus of no tenant uses, so that it never claims, finds or lists a
 * tenant's command ({@code acme::c-1}) and never runs one outside its tenant. Command ids and partition keys with a
 * tenant prefix ({@link Tenancy#hasTenantPrefix}) and metadata naming a tenant ({@link Tenancy#METADATA_KEY}) are
 * refused at enqueue, before anything is stored. Everything else passes to the shared store unchanged.
 *
 * <pre>{@code
 * CommandQueueStore own = NoTenantCommandQueueStore.of(JdbiCommandQueueStore.create(jdbi, shared));
 * }</pre>
 */
public final class NoTenantCommandQueueStore implements CommandQueueStore {

    private final CommandQueueStore shared;

    private NoTenantCommandQueueStore(CommandQueueStore shared) {
        this.shared = shared;
    }

    /**
     * The part of {@code shared} outside every tenant ({@code shared} itself when it is such a view already).
     *
     * @throws InvalidTenantException when {@code shared} is a tenant's view
     */
    public static NoTenantCommandQueueStore of(CommandQueueStore shared) {
        Objects.requireNonNull(shared, "shared");
        if (shared instanceof NoTenantCommandQueueStore view) {
            return view;
        }
        if (shared instanceof TenantScopedCommandQueueStore view) {
            throw new InvalidTenantException("The queue store is tenant \"" + view.scope().tenant() + "\"'s view; it"
                    + " has no part outside the tenant. Pass the shared queue store.");
        }
        return new NoTenantCommandQueueStore(shared);
    }

    /** The shared store. */
    public CommandQueueStore shared() {
        return shared;
    }

    private static QueuedCommand checked(QueuedCommand command) {
        Objects.requireNonNull(command, "command");
        if (Tenancy.hasTenantPrefix(command.id())) {
            throw new InvalidInputException("Command id " + dev.eskit.Limits.abbreviate(command.id()) + " has the"
                    + " shape of a tenant's command id (<tenant>::<id>), but this queue's bus belongs to no tenant."
                    + " Use an id without \"::\" after its first word, or enqueue on the tenant's queue"
                    + " (a CommandQueue on TenantCommandBus.forTenant(...)).");
        }
        if (Tenancy.hasTenantPrefix(command.partitionKey())) {
            throw new InvalidInputException("Partition key " + dev.eskit.Limits.abbreviate(command.partitionKey())
                    + " has the shape of a tenant's partition key (<tenant>::<key>), but this queue's bus belongs"
                    + " to no tenant. Use a key without \"::\" after its first word.");
        }
        metadataChecked(command.metadata());
        return command;
    }

    private static Metadata metadataChecked(Metadata metadata) {
        String tenant = metadata == null ? null : metadata.extras().get(Tenancy.METADATA_KEY);
        if (tenant != null) {
            throw new InvalidTenantException("The command names tenant " + dev.eskit.Limits.abbreviate(tenant)
                    + " (metadata " + Tenancy.METADATA_KEY + "), but this queue's bus belongs to no tenant, so it"
                    + " would run outside the tenant. Enqueue it on the tenant's queue (a CommandQueue on"
                    + " TenantCommandBus.forTenant(...)), or without a tenant.");
        }
        return metadata;
    }

    private static boolean own(String id) {
        return !Tenancy.hasTenantPrefix(id);
    }

    /**
     * {@code metadata} as the shared store would store it.
     *
     * @throws InvalidTenantException when it names a tenant
     */
    @Override
    public Metadata metadataFor(Metadata metadata) {
        return shared.metadataFor(metadataChecked(metadata));
    }

    @Override
    public boolean enqueue(QueuedCommand command) {
        return shared.enqueue(checked(command));
    }

    @Override
    public int enqueueAll(List<QueuedCommand> commands) {
        commands.forEach(NoTenantCommandQueueStore::checked);
        return shared.enqueueAll(commands);
    }

    /** Claims only commands outside every tenant ({@link CommandQueueStore#claimOutsideTenants}). */
    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease) {
        return shared.claimOutsideTenants(worker, max, lease);
    }

    @Override
    public List<QueueClaim> claimOutsideTenants(String worker, int max, Duration lease) {
        return shared.claimOutsideTenants(worker, max, lease);
    }

    /**
     * Refused: a prefix claim is how a tenant's view claims.
     *
     * @throws InvalidTenantException always
     */
    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease, String idPrefix) {
        throw new InvalidTenantException("The queue store outside every tenant claims no tenant's commands by prefix."
                + " Claim on the shared store, or through the tenant's view (TenantScope.commandQueue).");
    }

    @Override
    public boolean finish(QueueClaim claim, QueueResult result) {
        return own(claim.command().id()) && shared.finish(claim, result);
    }

    @Override
    public boolean[] finishAll(List<QueueFinish> finishes) {
        for (QueueFinish f : finishes) {
            if (!own(f.claim().command().id())) {
                throw new InvalidTenantException("A claim of a tenant's command was given to the queue store"
                        + " outside every tenant. Finish it through the tenant's view.");
            }
        }
        return shared.finishAll(finishes);
    }

    @Override
    public AppendResult appendAndFinish(EventStore target, AppendRequest request, QueueClaim claim,
                                        Function<AppendResult, QueueResult> outcome, Consumer<QueueResult> finished) {
        if (!own(claim.command().id())) {
            throw new InvalidTenantException("A claim of a tenant's command was given to the queue store outside"
                    + " every tenant. Run each tenant's queue on its own bus.");
        }
        return shared.appendAndFinish(target, request, claim, outcome, finished);
    }

    @Override
    public Map<String, QueueResult> findOutcomes(Collection<String> ids) {
        List<String> own = new ArrayList<>(ids.size());
        ids.forEach(id -> {
            if (own(id)) {
                own.add(id);
            }
        });
        return own.isEmpty() ? Map.of() : shared.findOutcomes(own);
    }

    @Override
    public boolean retry(QueueClaim claim, String error, Instant retryAt) {
        return own(claim.command().id()) && shared.retry(claim, error, retryAt);
    }

    /** The command {@code id}, if queued outside every tenant (a tenant's id finds nothing). */
    @Override
    public Optional<QueuedCommand> find(String id) {
        return own(id) ? shared.find(id) : Optional.empty();
    }

    /**
     * Commands outside every tenant with {@code status}, oldest first: the shared store's first {@code limit}
     * filtered, so fewer than {@code limit} may come back while more match.
     */
    @Override
    public List<QueuedCommand> list(QueueStatus status, int limit) {
        return shared.list(status, limit).stream().filter(c -> own(c.id())).toList();
    }

    @Override
    public List<QueuedCommand> list(QueueStatus status, int limit, String idPrefix) {
        return shared.list(status, limit, idPrefix).stream().filter(c -> own(c.id())).toList();
    }

    /** Requeues dead command {@code id} outside every tenant; false for a tenant's id. */
    @Override
    public boolean requeue(String id) {
        return own(id) && shared.requeue(id);
    }

    /** Retention on the shared store: every tenant's finished commands too (as on the shared store). */
    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        return shared.deleteFinishedBefore(cutoff);
    }

    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return shared.personalData();
    }

    /** Views of one shared store are equal (a bus and its queue may each make one). */
    @Override
    public boolean equals(Object other) {
        return other instanceof NoTenantCommandQueueStore view && view.shared == shared;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(shared) * 17;
    }

    @Override
    public String toString() {
        return "NoTenantCommandQueueStore[" + shared + "]";
    }
}
