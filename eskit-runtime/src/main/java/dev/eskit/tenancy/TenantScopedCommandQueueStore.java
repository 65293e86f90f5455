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
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.command.queue.QueueStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One tenant's view of a shared {@link CommandQueueStore}: command {@code c-1} is kept as {@code acme::c-1}, its
 * partition key {@code account/a-1} as {@code acme::account/a-1}, and its metadata carries the tenant
 * ({@link Tenancy#METADATA_KEY}; metadata of another tenant is refused). The view claims, lists, finds, finishes,
 * retries and requeues only the tenant's own commands: an id, claim or token of another tenant reaches nothing. Its
 * commands are handed back as the tenant knows them ({@code c-1}), and one tenant's commands never hold back another
 * tenant's (their partition keys differ). Retention ({@link #deleteFinishedBefore}) runs on the shared store and is
 * refused here.
 *
 * <p>A {@link dev.eskit.command.queue.CommandQueue} built on a tenant's {@link dev.eskit.command.CommandBus} (a bus
 * over the tenant's event store) uses this view of whatever queue store it is given.
 */
public final class TenantScopedCommandQueueStore implements CommandQueueStore {

    private final TenantScope scope;
    private final CommandQueueStore shared;

    TenantScopedCommandQueueStore(TenantScope scope, CommandQueueStore shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    /** The tenant's scope. */
    public TenantScope scope() {
        return scope;
    }

    private String id(String id) {
        return scope.name("Command id", id);
    }

    private String partition(String key) {
        return key == null ? null : scope.name("Partition key", key);
    }

    /** The command as the shared store keeps it. */
    private QueuedCommand scoped(QueuedCommand c) {
        return new QueuedCommand(id(c.id()), c.commandType(), c.payload(), scope.mark(c.metadata()),
                partition(c.partitionKey()), c.status(), c.attempts(), c.availableAt(), c.lastError(), c.result(),
                c.enqueuedAt(), c.finishedAt(), c.commandVersion());
    }

    /**
     * The command as the tenant knows it; refuses (rather than leaks) a command the shared store handed back that is
     * not this tenant's.
     */
    private QueuedCommand unscoped(QueuedCommand c) {
        String tenant = c.metadata().extras().get(Tenancy.METADATA_KEY);
        if (tenant != null && !tenant.equals(scope.tenant().value())) {
            throw new IllegalStateException("A shared command queue handed command \"" + c.id() + "\" of tenant \""
                    + dev.eskit.Limits.abbreviate(tenant) + "\" to tenant \"" + scope.tenant() + "\". Nothing of"
                    + " another tenant is returned; check the store implementation.");
        }
        String key = c.partitionKey();
        return new QueuedCommand(scope.unscoped(c.id()), c.commandType(), c.payload(), c.metadata(),
                key != null && scope.owns(key) ? scope.unscoped(key) : key, c.status(), c.attempts(), c.availableAt(),
                c.lastError(), c.result(), c.enqueuedAt(), c.finishedAt(), c.commandVersion());
    }

    private List<QueuedCommand> unscoped(List<QueuedCommand> commands) {
        List<QueuedCommand> result = new ArrayList<>(commands.size());
        commands.forEach(c -> result.add(unscoped(c)));
        return result;
    }

    /**
     * The claim as the shared store keeps it: the command id (and partition key) scoped. A claim of another tenant
     * becomes a claim of a command this tenant does not hold, so finishing or retrying it changes nothing.
     */
    private QueueClaim scoped(QueueClaim claim) {
        Objects.requireNonNull(claim, "claim");
        QueuedCommand c = claim.command();
        return new QueueClaim(new QueuedCommand(id(c.id()), c.commandType(), c.payload(), c.metadata(),
                partition(c.partitionKey()), c.status(), c.attempts(), c.availableAt(), c.lastError(), c.result(),
                c.enqueuedAt(), c.finishedAt(), c.commandVersion()), claim.worker(), claim.token(), claim.until());
    }

    private QueueClaim unscoped(QueueClaim claim) {
        return new QueueClaim(unscoped(claim.command()), claim.worker(), claim.token(), claim.until());
    }

    private QueueResult unscoped(QueueResult r) {
        return new QueueResult(scope.unscoped(r.id()), r.status(), r.streamVersion(), r.eventCount(),
                r.firstPosition(), r.lastPosition(), r.error());
    }

    @Override
    public Metadata metadataFor(Metadata metadata) {
        return scope.mark(shared.metadataFor(metadata == null ? Metadata.empty() : metadata));
    }

    @Override
    public boolean enqueue(QueuedCommand command) {
        return shared.enqueue(scoped(Objects.requireNonNull(command, "command")));
    }

    @Override
    public int enqueueAll(List<QueuedCommand> commands) {
        List<QueuedCommand> scoped = new ArrayList<>(commands.size());
        commands.forEach(c -> scoped.add(scoped(Objects.requireNonNull(c, "command"))));
        return shared.enqueueAll(scoped);
    }

    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease) {
        return claim(worker, max, lease, "");
    }

    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease, String idPrefix) {
        Objects.requireNonNull(idPrefix, "idPrefix");
        List<QueueClaim> claims = shared.claim(worker, max, lease, scope.prefix() + idPrefix);
        List<QueueClaim> result = new ArrayList<>(claims.size());
        claims.forEach(c -> result.add(unscoped(c)));
        return result;
    }

    @Override
    public boolean finish(QueueClaim claim, QueueResult result) {
        return shared.finish(scoped(claim), Objects.requireNonNull(result, "result"));
    }

    @Override
    public boolean[] finishAll(List<QueueFinish> finishes) {
        List<QueueFinish> scoped = new ArrayList<>(finishes.size());
        finishes.forEach(f -> scoped.add(new QueueFinish(scoped(f.claim()), f.result())));
        return shared.finishAll(scoped);
    }

    /**
     * Appends and finishes through the shared store with the claim as it keeps it. The Jdbi queue store does both in
     * one transaction when {@code target} is this tenant's view of its event store (as for a tenant's bus with
     * {@code queueOutcomes}); other targets append first and the outcome is recorded just after (a crash in between
     * runs the command again; its idempotency key keeps the effect single).
     *
     * @throws InvalidTenantException when {@code target} is another tenant's view; nothing is appended
     */
    @Override
    public AppendResult appendAndFinish(EventStore target, AppendRequest request, QueueClaim claim,
                                        Function<AppendResult, QueueResult> outcome,
                                        Consumer<QueueResult> finished) {
        TenantScope.of(target).ifPresent(other -> {
            if (!other.equals(scope)) {
                throw new InvalidTenantException("A command of tenant \"" + scope.tenant() + "\" was to be appended"
                        + " to tenant \"" + other.tenant() + "\"'s store. Run each tenant's queue on its own bus.");
            }
        });
        return shared.appendAndFinish(target, request, scoped(claim), outcome, finished);
    }

    @Override
    public Map<String, QueueResult> findOutcomes(Collection<String> ids) {
        List<String> scoped = new ArrayList<>(ids.size());
        ids.forEach(id -> scoped.add(id(id)));
        Map<String, QueueResult> found = new HashMap<>();
        shared.findOutcomes(scoped).forEach((id, r) -> found.put(scope.unscoped(id), unscoped(r)));
        return found;
    }

    @Override
    public boolean retry(QueueClaim claim, String error, Instant retryAt) {
        return shared.retry(scoped(claim), error, retryAt);
    }

    @Override
    public Optional<QueuedCommand> find(String id) {
        return shared.find(id(id)).map(this::unscoped);
    }

    /** The tenant's commands with {@code status}, oldest first (the shared store is asked for the tenant's prefix). */
    @Override
    public List<QueuedCommand> list(QueueStatus status, int limit) {
        return list(status, limit, "");
    }

    @Override
    public List<QueuedCommand> list(QueueStatus status, int limit, String idPrefix) {
        Objects.requireNonNull(idPrefix, "idPrefix");
        return unscoped(shared.list(status, limit, scope.prefix() + idPrefix));
    }

    @Override
    public boolean requeue(String id) {
        return shared.requeue(id(id));
    }

    /** Refused: retention deletes every tenant's finished commands; run it on the shared store. */
    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        throw new InvalidInputException("Command queue retention deletes every tenant's finished commands: run"
                + " deleteFinishedBefore on the shared queue store, not on tenant \"" + scope.tenant() + "\"'s view.");
    }

    /** The shared store's protector, keyed to this tenant's subjects. */
    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return shared.personalData().map(protector -> protector.forTenant(scope.tenant()));
    }

    /** Views of one tenant on one shared store are equal (a bus and its queue may each make one). */
    @Override
    public boolean equals(Object other) {
        return other instanceof TenantScopedCommandQueueStore view && view.scope.equals(scope)
                && view.shared == shared;
    }

    @Override
    public int hashCode() {
        return scope.hashCode() * 31 + System.identityHashCode(shared);
    }

    @Override
    public String toString() {
        return "TenantScopedCommandQueueStore[" + scope.tenant() + "]";
    }
}
