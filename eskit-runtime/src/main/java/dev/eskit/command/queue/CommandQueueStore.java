package dev.eskit.command.queue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where queued commands live: in memory ({@link #inMemory()}) or in the SQLite or PostgreSQL store's
 * {@code command_queue} table ({@code JdbiCommandQueueStore} in eskit-jdbi). {@link CommandQueue} drives it; an
 * implementation only stores and claims.
 */
public interface CommandQueueStore {

    /** Stores a new pending command; returns false (and changes nothing) when its id is queued already. */
    boolean enqueue(QueuedCommand command);

    /**
     * Stores new pending commands, in order, in one transaction where the store has them; returns how many were new.
     * This default enqueues them one by one.
     */
    default int enqueueAll(List<QueuedCommand> commands) {
        int added = 0;
        for (QueuedCommand command : commands) {
            added += enqueue(command) ? 1 : 0;
        }
        return added;
    }

    /**
     * Claims up to {@code max} commands that are pending and available (or claimed with an ended lease), oldest
     * first, skipping any command that has an unfinished (pending or claimed) command of the same partition key
     * enqueued before it. Each claim counts an attempt and holds the command for {@code lease}.
     */
    List<QueueClaim> claim(String worker, int max, Duration lease);

    /**
     * Claims as {@link #claim(String, int, Duration)}, but only commands whose id starts with {@code idPrefix} (a
     * tenant's view, {@code TenantScope.commandQueue}, claims its own commands with it). Commands outside the prefix
     * still hold back later commands of their partition key. This default refuses: a store that cannot claim by prefix
     * has no tenant views.
     *
     * @throws dev.eskit.InvalidInputException when the store cannot claim by prefix
     */
    default List<QueueClaim> claim(String worker, int max, Duration lease, String idPrefix) {
        throw new dev.eskit.InvalidInputException(getClass().getName() + " cannot claim the commands of one id prefix,"
                + " so it cannot serve a tenant's command queue. Implement claim(worker, max, lease, idPrefix), or use"
                + " the in-memory or Jdbi queue store.");
    }

    /**
     * Claims as {@link #claim(String, int, Duration)}, but only commands outside every tenant: those whose id has no
     * tenant prefix ({@code <tenant>::}, {@link dev.eskit.tenancy.Tenancy#hasTenantPrefix}). A
     * {@link CommandQueue} on a bus of no tenant claims with it (through {@link dev.eskit.tenancy.NoTenantCommandQueueStore}),
     * so it never runs a tenant's command outside the tenant. This default claims with
     * {@link #claim(String, int, Duration)} and gives the tenants' commands back at once ({@link #retry}), which
     * counts an attempt against them: a store shared by tenants and a queue of no tenant should override it.
     */
    default List<QueueClaim> claimOutsideTenants(String worker, int max, Duration lease) {
        List<QueueClaim> claims = claim(worker, max, lease);
        List<QueueClaim> own = new java.util.ArrayList<>(claims.size());
        for (QueueClaim c : claims) {
            if (dev.eskit.tenancy.Tenancy.hasTenantPrefix(c.command().id())) {
                retry(c, c.command().lastError(), Instant.now());
            } else {
                own.add(c);
            }
        }
        return own;
    }

    /**
     * The metadata a command enqueued here is stored with, asked for before its payload is encrypted: unchanged by
     * default; a tenant's view marks it with its tenant ({@code eskit.tenant}), so the payload's personal data is
     * encrypted under the tenant's keys.
     *
     * @throws dev.eskit.tenancy.InvalidTenantException when a tenant's view is given another tenant's metadata
     */
    default dev.eskit.Metadata metadataFor(dev.eskit.Metadata metadata) {
        return metadata;
    }

    /**
     * Makes a claimed command final ({@code SUCCEEDED}, {@code REJECTED} or {@code DEAD}) with {@code result}'s
     * fields; returns false when the claim's lease ended and another worker holds it (nothing changes then).
     */
    boolean finish(QueueClaim claim, QueueResult result);

    /**
     * Records several outcomes (as {@link #finish} each), in one transaction where the store has them; returns, in
     * order, whether each claim was still held. This default finishes them one by one.
     */
    default boolean[] finishAll(List<QueueFinish> finishes) {
        boolean[] held = new boolean[finishes.size()];
        for (int i = 0; i < held.length; i++) {
            held[i] = finish(finishes.get(i).claim(), finishes.get(i).result());
        }
        return held;
    }

    /**
     * Appends {@code request} (the events of claimed command {@code claim}) to {@code target} and, in the same
     * transaction where the store shares the event store's database, finishes the claim with the outcome
     * {@code outcome} makes of the append, then calls {@code finished} with it after the commit; a crash can then
     * never leave a command whose events committed unfinished. This default only appends: the queue finishes the
     * command afterwards (a crash in between runs it again, and its idempotency key keeps the effect single).
     */
    default AppendResult appendAndFinish(EventStore target, AppendRequest request, QueueClaim claim,
                                         Function<AppendResult, QueueResult> outcome,
                                         Consumer<QueueResult> finished) {
        return target.append(request);
    }

    /**
     * The final outcomes of those of {@code ids} that are final, in one query where the store can (this default
     * looks each up). {@link CommandQueue} polls its awaited ids with it.
     */
    default Map<String, QueueResult> findOutcomes(Collection<String> ids) {
        Map<String, QueueResult> found = new HashMap<>();
        for (String id : ids) {
            find(id).flatMap(QueuedCommand::outcome).ifPresent(r -> found.put(id, r));
        }
        return found;
    }

    /** Gives a claimed command back for another attempt at {@code retryAt}; false when the lease was lost. */
    boolean retry(QueueClaim claim, String error, Instant retryAt);

    /** The command {@code id}, if queued. */
    Optional<QueuedCommand> find(String id);

    /** Up to {@code limit} commands with {@code status}, oldest first. */
    List<QueuedCommand> list(QueueStatus status, int limit);

    /**
     * Up to {@code limit} commands with {@code status} whose id starts with {@code idPrefix}, oldest first. This
     * default filters {@link #list(QueueStatus, int)}, so it may return fewer than {@code limit} while more match.
     */
    default List<QueuedCommand> list(QueueStatus status, int limit, String idPrefix) {
        java.util.Objects.requireNonNull(idPrefix, "idPrefix");
        return list(status, limit).stream().filter(c -> c.id().startsWith(idPrefix)).toList();
    }

    /** Makes dead command {@code id} pending again with its attempts reset; false when it is not dead. */
    boolean requeue(String id);

    /** Deletes final ({@code SUCCEEDED} and {@code REJECTED}) commands finished before {@code cutoff}. */
    int deleteFinishedBefore(Instant cutoff);

    /**
     * The personal-data protector of the event store this queue belongs to, if it has one: a {@link CommandQueue}
     * without its own protector encrypts the personal fields of payloads and seals personal metadata with it. The
     * in-memory queue has none.
     */
    default Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return Optional.empty();
    }

    /** A queue in this JVM's memory: for tests and single-process applications; lost when the process ends. */
    static CommandQueueStore inMemory() {
        return new InMemoryCommandQueueStore(java.time.Clock.systemUTC());
    }
}
