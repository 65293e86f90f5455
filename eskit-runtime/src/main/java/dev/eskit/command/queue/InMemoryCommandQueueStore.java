package dev.eskit.command.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The command queue in memory; thread-safe, one lock. */
final class InMemoryCommandQueueStore implements CommandQueueStore {

    private final Clock clock;
    /** In enqueue order. */
    private final Map<String, QueuedCommand> commands = new LinkedHashMap<>();
    private final Map<String, String> tokens = new java.util.HashMap<>();

    InMemoryCommandQueueStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean enqueue(QueuedCommand command) {
        Objects.requireNonNull(command, "command");
        return commands.putIfAbsent(command.id(), command) == null;
    }

    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease) {
        return claim(worker, max, lease, "");
    }

    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease, String idPrefix) {
        Objects.requireNonNull(idPrefix, "idPrefix");
        return claim(worker, max, lease, id -> id.startsWith(idPrefix));
    }

    @Override
    public List<QueueClaim> claimOutsideTenants(String worker, int max, Duration lease) {
        return claim(worker, max, lease, id -> !dev.eskit.tenancy.Tenancy.hasTenantPrefix(id));
    }

    private synchronized List<QueueClaim> claim(String worker, int max, Duration lease,
                                                java.util.function.Predicate<String> ids) {
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        String token = UUID.randomUUID().toString();
        Set<String> blocked = new HashSet<>();
        List<QueueClaim> claims = new ArrayList<>();
        for (QueuedCommand c : commands.values()) {
            if (claims.size() == max) {
                break;
            }
            if (c.status().isFinal()) {
                continue;
            }
            boolean first = c.partitionKey() == null || blocked.add(c.partitionKey());
            if (first && !c.availableAt().isAfter(now) && ids.test(c.id())) {
                QueuedCommand claimed = new QueuedCommand(c.id(), c.commandType(), c.payload(), c.metadata(),
                        c.partitionKey(), QueueStatus.CLAIMED, c.attempts() + 1, until, c.lastError(), null,
                        c.enqueuedAt(), null, c.commandVersion());
                commands.put(c.id(), claimed);
                tokens.put(c.id(), token);
                claims.add(new QueueClaim(claimed, worker, token, until));
            }
        }
        return claims;
    }

    private boolean holds(QueueClaim claim) {
        QueuedCommand current = commands.get(claim.command().id());
        return current != null && current.status() == QueueStatus.CLAIMED
                && claim.token().equals(tokens.get(claim.command().id()));
    }

    @Override
    public synchronized boolean finish(QueueClaim claim, QueueResult result) {
        if (!holds(claim)) {
            return false;
        }
        QueuedCommand c = commands.get(claim.command().id());
        Instant now = clock.instant();
        commands.put(c.id(), new QueuedCommand(c.id(), c.commandType(),
                result.status() == QueueStatus.DEAD ? c.payload() : null, c.metadata(), c.partitionKey(),
                result.status(), c.attempts(), now, result.error(), result.encode(), c.enqueuedAt(), now, c.commandVersion()));
        tokens.remove(c.id());
        return true;
    }

    /** Appends, then finishes (in memory nothing outlives a crash, so there is no transaction to share). */
    @Override
    public dev.eskit.AppendResult appendAndFinish(dev.eskit.EventStore target, dev.eskit.AppendRequest request,
                                                  QueueClaim claim,
                                                  java.util.function.Function<dev.eskit.AppendResult, QueueResult>
                                                          outcome,
                                                  java.util.function.Consumer<QueueResult> finished) {
        dev.eskit.AppendResult appended = target.append(request);
        QueueResult result = outcome.apply(appended);
        if (finish(claim, result)) {
            finished.accept(result);
        }
        return appended;
    }

    @Override
    public synchronized boolean retry(QueueClaim claim, String error, Instant retryAt) {
        if (!holds(claim)) {
            return false;
        }
        QueuedCommand c = commands.get(claim.command().id());
        commands.put(c.id(), new QueuedCommand(c.id(), c.commandType(), c.payload(), c.metadata(), c.partitionKey(),
                QueueStatus.PENDING, c.attempts(), retryAt, error, null, c.enqueuedAt(), null, c.commandVersion()));
        tokens.remove(c.id());
        return true;
    }

    @Override
    public synchronized Optional<QueuedCommand> find(String id) {
        return Optional.ofNullable(commands.get(id));
    }

    @Override
    public synchronized List<QueuedCommand> list(QueueStatus status, int limit) {
        return commands.values().stream().filter(c -> c.status() == status).limit(limit).toList();
    }

    @Override
    public synchronized List<QueuedCommand> list(QueueStatus status, int limit, String idPrefix) {
        Objects.requireNonNull(idPrefix, "idPrefix");
        return commands.values().stream().filter(c -> c.status() == status && c.id().startsWith(idPrefix))
                .limit(limit).toList();
    }

    @Override
    public synchronized boolean requeue(String id) {
        QueuedCommand c = commands.get(id);
        if (c == null || c.status() != QueueStatus.DEAD) {
            return false;
        }
        commands.put(id, new QueuedCommand(c.id(), c.commandType(), c.payload(), c.metadata(), c.partitionKey(),
                QueueStatus.PENDING, 0, clock.instant(), c.lastError(), null, c.enqueuedAt(), null, c.commandVersion()));
        return true;
    }

    @Override
    public synchronized int deleteFinishedBefore(Instant cutoff) {
        int before = commands.size();
        commands.values().removeIf(c -> (c.status() == QueueStatus.SUCCEEDED || c.status() == QueueStatus.REJECTED)
                && c.finishedAt() != null && c.finishedAt().isBefore(cutoff));
        return before - commands.size();
    }
}
