package dev.eskit.partition;

import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.StoredEvent;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.EventHandler;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionState;
import dev.eskit.subscription.TransactionalHandler;
import dev.eskit.subscription.Transactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription split into N partitions by a key of each event (its stream id by default, so each stream's events
 * stay in order), spread over the application nodes that run it: each node runs this object, which claims a fair share
 * of the partitions with leases from a shared {@link PartitionLeaseStore} and runs one {@link Subscription} per
 * partition it holds, named {@code <name>#p<i>of<N>} (its checkpoint's and dead letters' key).
 *
 * <ul>
 *   <li><b>Partitions.</b> An event belongs to partition {@link #partitionOf(String, int) partitionOf(key, N)}. Every
 *       partition's subscription reads the log of its event types and hands only its own events to the handler; the
 *       others just move its position on.</li>
 *   <li><b>Fair share.</b> Every {@code renewInterval} a node records a heartbeat, renews its leases, and targets
 *       {@code N / live nodes} partitions (the first {@code N % live} nodes by name one more): it releases extras
 *       (stopping them gracefully, so their checkpoints are saved) and claims free ones.</li>
 *   <li><b>At most one node per partition.</b> A node trusts a lease for {@code leaseDuration - renewInterval} after
 *       the renewal was sent, so it stops (its guard, asked before every handler call, read and checkpoint save, says
 *       no) at least {@code renewInterval} before the lease can run out in the store and another node claim it; a
 *       handler call must therefore finish within {@code renewInterval}. A transactional partition also checks its
 *       fencing token inside each transaction before saving the checkpoint ({@link PartitionFence}).</li>
 *   <li><b>Rebalance time.</b> A node that joins gets its share within about {@code 2 × renewInterval}; the
 *       partitions of a node that dies (or loses its database) move within {@code leaseDuration + renewInterval};
 *       a node that {@link #close() closes} hands its partitions over within {@code renewInterval}.</li>
 *   <li><b>Halts stay.</b> A partition {@link SubscriptionState#HALTED halted} on a poison event is not restarted:
 *       the node keeps its lease (so no other node runs into the same event) until the application starts
 *       {@link #subscription(int)} again, the node restarts, or a rebalance moves the partition. A partition that
 *       stopped otherwise (an {@link Error} from the handler) is released for any node to retry.</li>
 * </ul>
 *
 * <pre>{@code
 * PartitionedSubscription orders = PartitionedSubscription.builder("orders", store, store.checkpoints(), leases)
 *     .partitions(16)
 *     .handler(event -> view.apply(event))
 *     .subscriptions(partition -> partition.eventTypes("shop.OrderPlaced").batchSize(500))
 *     .build()
 *     .start();
 * ...
 * orders.close();   // stops its partitions gracefully and hands them to the other nodes
 * }</pre>
 */
public final class PartitionedSubscription implements AutoCloseable {

    /** The largest partition count. */
    public static final int MAX_PARTITIONS = 1024;

    /** The longest {@code leaseDuration} and {@code renewInterval}. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(PartitionedSubscription.class);

    private final String name;
    private final EventStore store;
    /** The store as the partitions read it: through one shared window of the log (see {@link SharedReads}). */
    private volatile EventStore reads;
    private final CheckpointStore checkpoints;
    private final PartitionLeaseStore leases;
    private final int partitions;
    private final String node;
    private final Function<StoredEvent<Object>, String> key;
    private final Duration leaseDuration;
    private final long renewNanos;
    /** How long after sending a renewal the node trusts its leases. */
    private final long trustNanos;
    private final Consumer<Subscription.Builder> settings;
    private final PartitionDelivery delivery;
    private final ConcurrentMap<Integer, OwnedPartition> owned = new ConcurrentHashMap<>();

    private volatile Thread thread;
    private volatile boolean closing;
    private volatile int liveNodes;
    private volatile Throwable lastError;
    private volatile PartitionCountMismatchException failure;

    private PartitionedSubscription(Builder builder) {
        this.name = builder.name;
        this.store = builder.store;
        this.checkpoints = builder.checkpoints;
        // A tenant's subscription takes its leases in the tenant's view: same-named subscriptions of two tenants
        // never share partitions (their checkpoints and dead letters are adopted by each partition's Subscription).
        this.leases = dev.eskit.tenancy.TenantScope.adopt(builder.store, builder.leases);
        this.partitions = builder.partitions;
        this.node = builder.node;
        this.key = builder.key;
        this.leaseDuration = builder.leaseDuration;
        this.renewNanos = builder.renewInterval.toNanos();
        this.trustNanos = builder.leaseDuration.toNanos() - renewNanos;
        this.settings = builder.settings;
        this.delivery = builder.delivery;
    }

    /**
     * A builder for partitioned subscription {@code name} on {@code store}: partition checkpoints in
     * {@code checkpoints}, leases in {@code leases} (shared by every node).
     */
    public static Builder builder(String name, EventStore store, CheckpointStore checkpoints,
                                  PartitionLeaseStore leases) {
        return new Builder(name, store, checkpoints, leases);
    }

    /**
     * The partition of {@code key} among {@code partitions}: its {@link String#hashCode()} (the same on every JVM),
     * mixed, modulo {@code partitions}.
     */
    public static int partitionOf(String key, int partitions) {
        PartitionLease.checkPartition(0, partitions);
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, partitions);
    }

    /** The name of partition {@code partition}'s subscription and checkpoint: {@code <name>#p<partition>of<N>}. */
    public static String partitionName(String name, int partition, int partitions) {
        PartitionLease.checkPartition(partition, partitions);
        return Names.check("Subscription name", name + "#p" + partition + "of" + partitions);
    }

    /** The partition {@code event} belongs to. */
    public int partitionOf(StoredEvent<Object> event) {
        return partitionOf(key.apply(event), partitions);
    }

    /** The subscription's name. */
    public String name() {
        return name;
    }

    /** How many partitions it has. */
    public int partitions() {
        return partitions;
    }

    /** This node's name in the lease table. */
    public String node() {
        return node;
    }

    /** The partitions this node holds and runs now. */
    public SortedSet<Integer> owned() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(owned.keySet()));
    }

    /** The running subscription of {@code partition} when this node holds it, for its lag, state and dead letters. */
    public Optional<Subscription> subscription(int partition) {
        OwnedPartition current = owned.get(partition);
        return current == null ? Optional.empty() : Optional.of(current.subscription);
    }

    /** This node's lease on {@code partition} when it holds it (its fencing token tells one claim from the next). */
    public Optional<PartitionLease> lease(int partition) {
        OwnedPartition current = owned.get(partition);
        return current == null ? Optional.empty() : Optional.of(current.lease);
    }

    /** How many nodes were alive at the last heartbeat (0 before the first). */
    public int liveNodes() {
        return liveNodes;
    }

    /** The latest failure of the lease store, if any. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Why it stopped by itself: a {@link PartitionCountMismatchException} when it learnt while running that the
     * subscription has another partition count (it then released everything and recorded no more heartbeats). Empty
     * while it runs normally.
     */
    public Optional<PartitionCountMismatchException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether it was started and not closed, and has not stopped by itself (see {@link #failure()}). */
    public boolean isRunning() {
        Thread running = thread;
        return running != null && running.isAlive() && !closing;
    }

    /**
     * Joins the nodes: records a heartbeat at once, then claims its share from the next renewal on (so that nodes
     * starting together see each other first). When the lease store cannot be reached it starts anyway and keeps
     * trying every {@code renewInterval} ({@link #lastError()}).
     *
     * @throws PartitionCountMismatchException when the subscription was recorded with another partition count (by
     *                                         the first node that ran it); nothing is started or recorded
     * @throws InvalidInputException           when it was started before
     */
    public synchronized PartitionedSubscription start() {
        if (thread != null) {
            throw new InvalidInputException("Partitioned subscription \"" + name + "\" was started before. Build a"
                    + " new one to start it again.");
        }
        try {
            liveNodes = leases.heartbeat(name, node, partitions, leaseDuration).size();
        } catch (PartitionCountMismatchException e) {
            throw e;
        } catch (RuntimeException e) {
            lastError = e;
            LOG.warn("Partitioned subscription \"{}\" on node \"{}\" could not record its heartbeat at start: {};"
                    + " it keeps trying every renewInterval", name, node, e.toString());
        }
        Thread started = new Thread(this::run, "eskit-partitions-" + name);
        started.setDaemon(true);
        thread = started;
        started.start();
        return this;
    }

    /**
     * Leaves: stops every partition this node runs, gracefully (each saves its checkpoint), releases their leases and
     * its heartbeat, so the other nodes take the partitions over at their next renewal. Waits until done.
     */
    @Override
    public void close() {
        closing = true;
        Thread running = thread;
        if (running == null) {
            return;
        }
        LockSupport.unpark(running);
        if (running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- the coordinator thread

    private void run() {
        boolean first = true;
        try {
            while (!closing) {
                try {
                    tick(first);
                    first = false;
                } catch (PartitionCountMismatchException e) {
                    // Another count was recorded while this node ran (its heartbeat is gone already): stop for good.
                    failure = e;
                    lastError = e;
                    LOG.error("Partitioned subscription \"{}\" on node \"{}\" stops and releases its partitions: {}",
                            name, node, e.getMessage());
                    break;
                } catch (RuntimeException e) {
                    // The database may be down: the leases stay trusted until their time runs out, then the
                    // partitions' guards stop them; the next renewal tells what is still held.
                    lastError = e;
                    LOG.warn("Partitioned subscription \"{}\" on node \"{}\" failed to renew its leases: {}", name,
                            node, e.toString());
                }
                long deadline = System.nanoTime() + renewNanos;
                while (!closing && deadline - System.nanoTime() > 0) {
                    LockSupport.parkNanos(this, deadline - System.nanoTime());
                }
            }
        } finally {
            hand(List.copyOf(owned.values()));
            try {
                leases.leave(name, node);
            } catch (RuntimeException e) {
                LOG.warn("Partitioned subscription \"{}\" on node \"{}\" could not release its leases ({}); they run"
                        + " out by themselves", name, node, e.toString());
            }
        }
    }

    private void tick(boolean settling) {
        long sent = System.nanoTime();
        List<String> live = leases.heartbeat(name, node, partitions, leaseDuration);
        liveNodes = live.size();
        Map<Integer, Long> held = new HashMap<>();
        for (PartitionLease lease : leases.renew(name, node, leaseDuration)) {
            OwnedPartition current = owned.get(lease.partition());
            if (current != null && current.lease.token() == lease.token()) {
                held.put(lease.partition(), lease.token());
            } else {
                // Held by an earlier run of a node with this name: free it.
                leases.release(lease);
            }
        }
        for (OwnedPartition current : List.copyOf(owned.values())) {
            if (held.containsKey(current.lease.partition())) {
                current.trustedUntil = sent + trustNanos;
            } else {
                lose(current);
            }
        }
        for (OwnedPartition current : List.copyOf(owned.values())) {
            if (current.subscription.isRunning()) {
                current.haltLogged = false;
            } else if (current.subscription.state() == SubscriptionState.HALTED) {
                // Restarting would only halt again on the same event: keep the lease (renewed above), so that no node
                // loops on it, and leave it halted until the application starts it again.
                if (!current.haltLogged) {
                    current.haltLogged = true;
                    LOG.warn("Partition {} of \"{}\" is halted on node \"{}\"; the node keeps its lease and does not"
                            + " restart it: fix the event's data or the handler, then start subscription({}) again or"
                            + " restart the node", current.lease.partition(), name, node, current.lease.partition());
                }
            } else {
                // It stopped by itself otherwise (an Error from the handler): let any node retry.
                // The cause as text: a Throwable as the last argument would be taken for the line's exception.
                LOG.warn("Partition {} of \"{}\" stopped by itself on node \"{}\" in state {} ({}); releasing it",
                        current.lease.partition(), name, node, current.subscription.state(),
                        current.subscription.failure().map(Throwable::toString).orElse("no failure recorded"));
                hand(List.of(current));
            }
        }
        if (settling || closing) {
            return;
        }
        int target = Shares.target(live, node, partitions);
        List<Integer> order = Shares.preference(node, partitions);
        List<OwnedPartition> extras = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0 && owned.size() - extras.size() > target; i--) {
            OwnedPartition extra = owned.get(order.get(i));
            if (extra != null) {
                extras.add(extra);
            }
        }
        hand(extras);
        for (int i = 0; i < order.size() && owned.size() < target && !closing; i++) {
            int partition = order.get(i);
            if (!owned.containsKey(partition)) {
                long claimSent = System.nanoTime();
                Optional<PartitionLease> claimed = leases.tryClaim(name, partition, partitions, node, leaseDuration);
                if (claimed.isPresent()) {
                    run(claimed.get(), claimSent + trustNanos);
                }
            }
        }
    }

    private void run(PartitionLease lease, long trustedUntil) {
        OwnedPartition current = new OwnedPartition(lease, trustedUntil);
        Subscription subscription;
        try {
            subscription = newSubscription(lease.partition(), current).guard(current::trusted).build();
        } catch (RuntimeException e) {
            leases.release(lease);
            throw e;
        }
        current.subscription = subscription;
        owned.put(lease.partition(), current);
        subscription.start();
        LOG.info("Node \"{}\" runs partition {} of \"{}\" (fencing token {})", node, lease.partition(), name,
                lease.token());
    }

    private Subscription.Builder newSubscription(int partition, OwnedPartition current) {
        Subscription.Builder builder = Subscription.builder(partitionName(name, partition, partitions),
                reads == null ? store : reads, checkpoints);
        settings.accept(builder);
        delivery.install(builder, this, partition, current);
        return builder;
    }

    /** Stops a lost partition at once: its guard already says no, so it saves nothing more. */
    private void lose(OwnedPartition current) {
        current.lost = true;
        LOG.warn("Node \"{}\" lost partition {} of \"{}\" (its lease ran out or was taken over); stopping it", node,
                current.lease.partition(), name);
        current.subscription.stop();
        owned.remove(current.lease.partition(), current);
    }

    /**
     * Stops partitions gracefully, all at once (each saves its checkpoint while its lease is still trusted), then
     * releases their leases.
     */
    private void hand(List<OwnedPartition> handed) {
        for (OwnedPartition current : handed) {
            // Only asks: the subscriptions wind down side by side.
            current.subscription.stop(Duration.ofMillis(1));
        }
        for (OwnedPartition current : handed) {
            current.subscription.stop();
            current.lost = true;
            owned.remove(current.lease.partition(), current);
            try {
                leases.release(current.lease);
            } catch (RuntimeException e) {
                lastError = e;
                LOG.warn("Node \"{}\" could not release partition {} of \"{}\" ({}); its lease runs out by itself",
                        node, current.lease.partition(), name, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "PartitionedSubscription[" + name + ", node " + node + ", owns " + owned() + " of " + partitions + "]";
    }

    /** Options for a {@link PartitionedSubscription}. A handler (plain or transactional) is required. */
    public static final class Builder {
        private final String name;
        private final EventStore store;
        private final CheckpointStore checkpoints;
        private final PartitionLeaseStore leases;
        private int partitions = 16;
        private String node = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        private Function<StoredEvent<Object>, String> key = StoredEvent::streamId;
        private Duration leaseDuration = Duration.ofSeconds(10);
        private Duration renewInterval = Duration.ofSeconds(2);
        private Consumer<Subscription.Builder> settings = builder -> { };
        private PartitionDelivery delivery;

        private Builder(String name, EventStore store, CheckpointStore checkpoints, PartitionLeaseStore leases) {
            this.name = Names.check("Subscription name", name);
            this.store = Objects.requireNonNull(store, "store");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.leases = Objects.requireNonNull(leases, "leases");
        }

        /**
         * How many partitions (default 16, at most {@value #MAX_PARTITIONS}); the same on every node. It caps how
         * many nodes can share the work. Changing it later means rebuilding: see {@code docs/subscriptions.md}.
         */
        public Builder partitions(int value) {
            PartitionLease.checkPartition(0, value);
            this.partitions = value;
            return this;
        }

        /** This node's name in the lease table, unique among the nodes (default: the process id and a random part). */
        public Builder node(String value) {
            this.node = Names.check("Node name", value);
            return this;
        }

        /**
         * The partition key of an event (default: its stream id). Events with equal keys go to one partition and stay
         * in log order; the key must not depend on anything but the event.
         */
        public Builder key(Function<StoredEvent<Object>, String> value) {
            this.key = Objects.requireNonNull(value, "key");
            return this;
        }

        /**
         * How long a lease lasts without renewal (default 10 s); at least 3 × {@link #renewInterval}, at most
         * {@link #MAX_DURATION} (1 day).
         */
        public Builder leaseDuration(Duration value) {
            this.leaseDuration = positive("leaseDuration", value);
            return this;
        }

        /**
         * How often a node renews its leases and rebalances (default 2 s), at most {@link #MAX_DURATION} (1 day); also
         * the longest handler call allowed.
         */
        public Builder renewInterval(Duration value) {
            this.renewInterval = positive("renewInterval", value);
            return this;
        }

        /**
         * Settings for every partition's {@link Subscription.Builder} (event types, batch size, checkpointing,
         * retries, dead letters...). Its handler and guard are set by the partitioned subscription.
         */
        public Builder subscriptions(Consumer<Subscription.Builder> value) {
            this.settings = Objects.requireNonNull(value, "subscriptions");
            return this;
        }

        /** The handler for every event of the partitions this node runs; at least once, in order per key. */
        public Builder handler(EventHandler value) {
            Objects.requireNonNull(value, "handler");
            this.delivery = PartitionDelivery.plain(value);
            return this;
        }

        /**
         * Handles events inside transactions of {@code transactor} that also save the partition's checkpoint, after
         * {@code fence} has checked the partition's fencing token in the same transaction: exactly-once effects, even
         * across a rebalance.
         */
        public <T> Builder transactional(Transactor<T> transactor, PartitionFence<T> fence,
                                         TransactionalHandler<T> value) {
            this.delivery = PartitionDelivery.transactional(Objects.requireNonNull(transactor, "transactor"),
                    Objects.requireNonNull(fence, "fence"), Objects.requireNonNull(value, "handler"));
            return this;
        }

        /**
         * Builds it, not yet started.
         *
         * @throws InvalidInputException when no handler was given, the durations do not fit, or the partition
         *                               subscriptions' settings are invalid
         */
        public PartitionedSubscription build() {
            if (delivery == null) {
                throw new InvalidInputException("Partitioned subscription \"" + name + "\" has no handler. Call"
                        + " handler(event -> ...) or transactional(transactor, fence, handler) before build().");
            }
            if (leaseDuration.compareTo(renewInterval.multipliedBy(3)) < 0) {
                throw new InvalidInputException("leaseDuration " + leaseDuration + " is shorter than 3 x renewInterval"
                        + " (" + renewInterval + "). Make the lease at least three renewals long, so that one late"
                        + " renewal does not lose it.");
            }
            partitionName(name, partitions - 1, partitions);
            PartitionedSubscription built = new PartitionedSubscription(this);
            // Fail here, not on another thread later, when the partitions' settings are wrong.
            Subscription sample = built.newSubscription(0, new OwnedPartition(new PartitionLease(name, 0, partitions,
                    node, 0), 0)).build();
            built.reads = new SharedReads(store, sample.eventTypes());
            return built;
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
                throw new InvalidInputException(what + " " + value + " is out of range. Use more than 0 and at most "
                        + MAX_DURATION + " (1 day).");
            }
            return value;
        }
    }
}
