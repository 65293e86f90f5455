package dev.eskit.partition;

import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Partition leases among the {@link PartitionedSubscription}s of one JVM (expiry by {@link System#nanoTime()}); for
 * tests, single-process applications and SQLite. {@link #revoke} takes a lease away, as a dead node's expiry would.
 */
public final class InMemoryPartitionLeaseStore implements PartitionLeaseStore {

    private static final class Row {
        final int partitions;
        String owner;
        long token;
        long expiresNanos;

        Row(int partitions, long now) {
            this.partitions = partitions;
            this.expiresNanos = now;
        }
    }

    /** subscription -> partition -> row. */
    private final Map<String, TreeMap<Integer, Row>> leases = new HashMap<>();
    /** subscription -> node -> heartbeat expiry. */
    private final Map<String, TreeMap<String, Long>> nodes = new HashMap<>();

    InMemoryPartitionLeaseStore() {
    }

    @Override
    public synchronized List<String> heartbeat(String subscription, String node, Duration ttl) {
        Names.check("Subscription name", subscription);
        Names.check("Node name", node);
        long now = System.nanoTime();
        TreeMap<String, Long> alive = nodes.computeIfAbsent(subscription, s -> new TreeMap<>());
        alive.put(node, now + ttl(ttl));
        alive.values().removeIf(expires -> expires - now <= 0);
        return List.copyOf(alive.keySet());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Atomic here: the count is checked, or recorded by the first node, and the heartbeat written under one lock.
     */
    @Override
    public synchronized List<String> heartbeat(String subscription, String node, int partitions, Duration ttl) {
        Names.check("Subscription name", subscription);
        Names.check("Node name", node);
        PartitionLease.checkPartition(0, partitions);
        ttl(ttl);
        TreeMap<Integer, Row> rows = leases.computeIfAbsent(subscription, s -> new TreeMap<>());
        if (rows.isEmpty()) {
            // Records the count: an unclaimed row, as a first claim would leave it.
            rows.put(0, new Row(partitions, System.nanoTime()));
        } else if (rows.firstEntry().getValue().partitions != partitions) {
            leave(subscription, node);
            throw new PartitionCountMismatchException(subscription, rows.firstEntry().getValue().partitions,
                    partitions);
        }
        return heartbeat(subscription, node, ttl);
    }

    @Override
    public synchronized Optional<PartitionLease> tryClaim(String subscription, int partition, int partitions,
                                                         String node, Duration ttl) {
        Names.check("Subscription name", subscription);
        Names.check("Node name", node);
        PartitionLease.checkPartition(partition, partitions);
        long now = System.nanoTime();
        TreeMap<Integer, Row> rows = leases.computeIfAbsent(subscription, s -> new TreeMap<>());
        if (!rows.isEmpty() && rows.firstEntry().getValue().partitions != partitions) {
            throw new PartitionCountMismatchException(subscription, rows.firstEntry().getValue().partitions,
                    partitions);
        }
        Row row = rows.computeIfAbsent(partition, p -> new Row(partitions, now));
        if (row.owner != null && !row.owner.equals(node) && row.expiresNanos - now > 0) {
            return Optional.empty();
        }
        row.owner = node;
        row.token++;
        row.expiresNanos = now + ttl(ttl);
        return Optional.of(new PartitionLease(subscription, partition, partitions, node, row.token));
    }

    @Override
    public synchronized List<PartitionLease> renew(String subscription, String node, Duration ttl) {
        long now = System.nanoTime();
        List<PartitionLease> held = new ArrayList<>();
        for (Map.Entry<Integer, Row> entry : leases.getOrDefault(subscription, new TreeMap<>()).entrySet()) {
            Row row = entry.getValue();
            if (node.equals(row.owner) && row.expiresNanos - now > 0) {
                row.expiresNanos = now + ttl(ttl);
                held.add(new PartitionLease(subscription, entry.getKey(), row.partitions, node, row.token));
            }
        }
        return held;
    }

    @Override
    public synchronized void release(PartitionLease lease) {
        Row row = row(lease);
        if (row != null) {
            row.owner = null;
            row.expiresNanos = System.nanoTime();
        }
    }

    @Override
    public synchronized void leave(String subscription, String node) {
        TreeMap<String, Long> alive = nodes.get(subscription);
        if (alive != null) {
            alive.remove(node);
        }
        for (Row row : leases.getOrDefault(subscription, new TreeMap<>()).values()) {
            if (node.equals(row.owner)) {
                row.owner = null;
                row.expiresNanos = System.nanoTime();
            }
        }
    }

    @Override
    public synchronized boolean isHeld(PartitionLease lease) {
        Row row = row(lease);
        return row != null && row.expiresNanos - System.nanoTime() > 0;
    }

    @Override
    public synchronized List<PartitionLeaseStatus> leases(String subscription) {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        List<PartitionLeaseStatus> list = new ArrayList<>();
        for (Map.Entry<Integer, Row> entry : leases.getOrDefault(subscription, new TreeMap<>()).entrySet()) {
            Row row = entry.getValue();
            list.add(new PartitionLeaseStatus(entry.getKey(), row.partitions, Optional.ofNullable(row.owner),
                    row.token, wall.plusNanos(row.expiresNanos - now)));
        }
        return list;
    }

    /**
     * Takes the lease of {@code partition} away from its holder at once, as if its node had died and the lease had
     * run out; its holder's next check fails.
     *
     * @return whether someone held it
     */
    public synchronized boolean revoke(String subscription, int partition) {
        Row row = leases.getOrDefault(subscription, new TreeMap<>()).get(partition);
        if (row == null || row.owner == null || row.expiresNanos - System.nanoTime() <= 0) {
            return false;
        }
        row.expiresNanos = System.nanoTime();
        return true;
    }

    /** A fence for transactional partitions on this store (see {@link PartitionFence#outside}). */
    public <T> PartitionFence<T> fence() {
        return PartitionFence.outside(this);
    }

    /** The row of {@code lease} when it is still the current claim (same owner and token), else null. */
    private Row row(PartitionLease lease) {
        Objects.requireNonNull(lease, "lease");
        Row row = leases.getOrDefault(lease.subscription(), new TreeMap<>()).get(lease.partition());
        return row != null && lease.owner().equals(row.owner) && row.token == lease.token() ? row : null;
    }

    private static long ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidInputException("Lease duration " + ttl + " must be positive.");
        }
        return ttl.toNanos();
    }
}
