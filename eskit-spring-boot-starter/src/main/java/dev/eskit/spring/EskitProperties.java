package dev.eskit.spring;

import dev.eskit.Limits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code eskit.*} settings of the Spring Boot starter. Every one has a default, so an application needs none of
 * them; {@code spring-boot-configuration-processor} turns this class into metadata for IDE completion.
 *
 * <pre>
 * eskit.store.schema=bank                 # PostgreSQL schema for eskit's tables
 * eskit.commands.retry-attempts=3
 * eskit.commands.state-cache=50000        # states of 50,000 streams per handler (0: none; unset: 10,000 if proven immutable)
 * eskit.commands.log.enabled=true
 * eskit.commands.queue.enabled=true
 * eskit.commands.queue.workers=4
 * eskit.subscriptions.leader-election=true
 * eskit.health.max-lag=10000
 * </pre>
 */
@ConfigurationProperties(prefix = "eskit")
public class EskitProperties {

    /** Whether the starter configures anything at all. */
    private boolean enabled = true;

    private final Store store = new Store();
    private final Commands commands = new Commands();
    private final Subscriptions subscriptions = new Subscriptions();
    private final Health health = new Health();

    /** Whether the starter configures anything at all. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Turns the starter on or off. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The event store settings. */
    public Store getStore() {
        return store;
    }

    /** The command bus settings. */
    public Commands getCommands() {
        return commands;
    }

    /** The settings of the subscriptions the starter builds and runs. */
    public Subscriptions getSubscriptions() {
        return subscriptions;
    }

    /** The health indicator's settings. */
    public Health getHealth() {
        return health;
    }

    /**
     * {@code value} when it lies in {@code [min, max]}; else an error that names the property, the value and the
     * range, which Spring Boot reports at start-up with the property's origin.
     */
    static long inRange(String property, long value, long min, long max, String hint) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + "=" + value + " is out of range: use "
                    + (max == Long.MAX_VALUE ? min + " or more" : min + " to " + max) + hint + ".");
        }
        return value;
    }

    /** {@code value} when it is at least {@code min}; else an error that names the property, the value and the bound. */
    static Duration atLeast(String property, Duration value, Duration min) {
        if (value == null || value.compareTo(min) < 0) {
            throw new IllegalArgumentException(property + "=" + value + " is out of range: use "
                    + (min.isZero() ? "0 or more" : min.equals(Duration.ofNanos(1)) ? "a positive duration"
                    : "at least " + min.toMillis() + "ms") + ".");
        }
        return value;
    }

    /** {@code eskit.store.*}: where and how events are stored (on the application's DataSource). */
    public static class Store {
        /** PostgreSQL schema of eskit's tables (created if missing); "public" when unset. Not for SQLite. */
        private String schema;
        /** Prefix of eskit's table names. */
        private String tablePrefix = "eskit_";
        /** Append inside the calling thread's Spring-managed transaction (@Transactional), when there is one. */
        private boolean joinSpringTransactions;
        /** SQLite: keep an index on (event type, position), for DCB queries by type without tags. */
        private boolean eventTypeIndex;

        /** Whether a SQLite store keeps an event type index. */
        public boolean isEventTypeIndex() {
            return eventTypeIndex;
        }

        /** Turns SQLite's event type index on or off ({@code JdbiEventStore.Builder.eventTypeIndex}). */
        public void setEventTypeIndex(boolean eventTypeIndex) {
            this.eventTypeIndex = eventTypeIndex;
        }

        /** Whether appends join Spring-managed transactions. */
        public boolean isJoinSpringTransactions() {
            return joinSpringTransactions;
        }

        /** Turns joining Spring-managed transactions on or off. */
        public void setJoinSpringTransactions(boolean joinSpringTransactions) {
            this.joinSpringTransactions = joinSpringTransactions;
        }

        /** The PostgreSQL schema, or {@code null} for {@code public}. */
        public String getSchema() {
            return schema;
        }

        /** Sets the PostgreSQL schema. */
        public void setSchema(String schema) {
            this.schema = schema;
        }

        /** The table name prefix. */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /** Sets the table name prefix (lower-case letters, digits and underscores). */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }
    }

    /** {@code eskit.commands.*}: the command bus. */
    public static class Commands {
        /** How many times a command is tried when its append meets a concurrent one (1 = no retry, at most 100). */
        private int retryAttempts = 3;

        /** How many times a command is tried. */
        public int getRetryAttempts() {
            return retryAttempts;
        }

        /**
         * Sets how many times a command is tried, 1 (no retry) to 100.
         *
         * @throws IllegalArgumentException outside that range, naming the property
         */
        public void setRetryAttempts(int retryAttempts) {
            this.retryAttempts = (int) inRange("eskit.commands.retry-attempts", retryAttempts, 1, 100,
                    " (1: no retry)");
        }

        /**
         * How many streams' folded states each command handler keeps in memory (0 = no state cache); unset, each
         * handler caches {@code CommandHandler.DEFAULT_CACHED_STREAMS} streams when its decider's states are proven
         * immutable, and none otherwise.
         */
        private Integer stateCache;

        /** How many streams' states each handler of the bus caches; 0 for none, null for the deciders' default. */
        public Integer getStateCache() {
            return stateCache;
        }

        /**
         * Sets how many streams' states each handler of the bus caches (0 for none; unset: 10,000 for deciders whose
         * states are proven immutable, none for the others).
         */
        public void setStateCache(Integer stateCache) {
            this.stateCache = stateCache;
        }

        private final Log log = new Log();
        private final Queue queue = new Queue();

        /** {@code eskit.commands.log.*}: the command log. */
        public Log getLog() {
            return log;
        }

        /** {@code eskit.commands.queue.*}: the durable command queue. */
        public Queue getQueue() {
            return queue;
        }
    }

    /** {@code eskit.commands.log.*}: the command log (off by default). */
    public static class Log {
        /** Record every command the bus handles in the store's command_log table. */
        private boolean enabled;
        /** Delete entries older than this (checked at most once a minute); unset keeps them. */
        private Duration retention;

        /** Whether the command log is on. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Turns the command log on or off. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** How long entries are kept, or {@code null} for ever. */
        public Duration getRetention() {
            return retention;
        }

        /** Sets how long entries are kept. */
        public void setRetention(Duration retention) {
            this.retention = retention;
        }
    }

    /** {@code eskit.commands.queue.*}: the durable command queue (off by default). */
    public static class Queue {
        /** Offer a CommandQueue bean on the store's command_queue table, its workers run with the context. */
        private boolean enabled;
        /** Worker threads on this node (0: this node only enqueues and awaits). */
        private int workers = 1;
        /** Commands a worker claims at once. */
        private int batchSize = 8;
        /** How long a claim holds its commands before another worker may take them. */
        private Duration lease = Duration.ofSeconds(30);
        /** How often idle workers, and awaits of commands run elsewhere, look at the table. */
        private Duration pollInterval = Duration.ofMillis(200);
        /** Attempts for conflicts and transient failures before a command is dead (1 to 100). */
        private int retryAttempts = 5;
        /** The pause after the first failed attempt; it doubles up to 100 times this. */
        private Duration retryDelay = Duration.ofMillis(100);
        /** Run the commands of one stream one at a time, in enqueue order. */
        private boolean partitionByStream;
        /** Record a queued command's outcome in its append's transaction (see docs/commands.md for the cost). */
        private boolean outcomesInAppend;

        /** Whether outcomes commit in the append's transaction. */
        public boolean isOutcomesInAppend() {
            return outcomesInAppend;
        }

        /** Records outcomes in the append's transaction, or just after it. */
        public void setOutcomesInAppend(boolean outcomesInAppend) {
            this.outcomesInAppend = outcomesInAppend;
        }

        /** Whether the queue is on. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Turns the queue on or off. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** Worker threads on this node. */
        public int getWorkers() {
            return workers;
        }

        /** Sets the worker threads on this node (0 to 256); outside that range an error names the property. */
        public void setWorkers(int workers) {
            this.workers = (int) inRange("eskit.commands.queue.workers", workers, 0, 256, " (0: only enqueue)");
        }

        /** Commands claimed at once. */
        public int getBatchSize() {
            return batchSize;
        }

        /** Sets the commands claimed at once (1 to 1000); outside that range an error names the property. */
        public void setBatchSize(int batchSize) {
            this.batchSize = (int) inRange("eskit.commands.queue.batch-size", batchSize, 1, 1000, "");
        }

        /** The lease of a claim. */
        public Duration getLease() {
            return lease;
        }

        /** Sets the lease of a claim (at least 100 ms); a shorter one is an error naming the property. */
        public void setLease(Duration lease) {
            this.lease = atLeast("eskit.commands.queue.lease", lease, Duration.ofMillis(100));
        }

        /** The poll interval. */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** Sets the poll interval (positive). */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = atLeast("eskit.commands.queue.poll-interval", pollInterval, Duration.ofNanos(1));
        }

        /** Attempts before a command is dead. */
        public int getRetryAttempts() {
            return retryAttempts;
        }

        /**
         * Sets the attempts before a command is dead, 1 to 100.
         *
         * @throws IllegalArgumentException outside that range, naming the property
         */
        public void setRetryAttempts(int retryAttempts) {
            this.retryAttempts = (int) inRange("eskit.commands.queue.retry-attempts", retryAttempts, 1, 100,
                    " (1: no retry)");
        }

        /** The first retry's pause. */
        public Duration getRetryDelay() {
            return retryDelay;
        }

        /** Sets the first retry's pause (not negative). */
        public void setRetryDelay(Duration retryDelay) {
            this.retryDelay = atLeast("eskit.commands.queue.retry-delay", retryDelay, Duration.ZERO);
        }

        /** Whether commands of one stream run one at a time in order. */
        public boolean isPartitionByStream() {
            return partitionByStream;
        }

        /** Runs commands of one stream one at a time in order, or not. */
        public void setPartitionByStream(boolean partitionByStream) {
            this.partitionByStream = partitionByStream;
        }
    }

    /** {@code eskit.subscriptions.*}: projections, automations and todo processors run by the starter. */
    public static class Subscriptions {
        /** Whether subscriptions and todo processors start with the application context. */
        private boolean autoStartup = true;
        /** Events read per batch (1 to 10,000). */
        private int batchSize = 256;
        /** How often a subscription polls when no append notification arrives. */
        private Duration pollInterval = Duration.ofMillis(500);
        /** How long shutdown waits for each subscription to finish its current event and save its checkpoint. */
        private Duration stopTimeout = Duration.ofSeconds(30);
        /** Run each subscription on one node at a time (PostgreSQL advisory locks); for several application nodes. */
        private boolean leaderElection;
        /** The namespace of the leader locks, so that several applications can share one database. */
        private String leaderNamespace = "eskit";
        /** How often leaderships are checked and taken over. */
        private Duration leaderCheckInterval = Duration.ofSeconds(2);

        /** Whether they start with the context. */
        public boolean isAutoStartup() {
            return autoStartup;
        }

        /** Sets whether they start with the context. */
        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        /** Events read per batch. */
        public int getBatchSize() {
            return batchSize;
        }

        /**
         * Sets the events read per batch, 1 to {@link Limits#MAX_READ_LIMIT}.
         *
         * @throws IllegalArgumentException outside that range, naming the property
         */
        public void setBatchSize(int batchSize) {
            this.batchSize = (int) inRange("eskit.subscriptions.batch-size", batchSize, 1, Limits.MAX_READ_LIMIT,
                    "");
        }

        /** The polling fallback interval. */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** Sets the polling fallback interval (positive). */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = atLeast("eskit.subscriptions.poll-interval", pollInterval, Duration.ofNanos(1));
        }

        /** How long shutdown waits for each subscription. */
        public Duration getStopTimeout() {
            return stopTimeout;
        }

        /** Sets how long shutdown waits for each subscription (not negative). */
        public void setStopTimeout(Duration stopTimeout) {
            this.stopTimeout = atLeast("eskit.subscriptions.stop-timeout", stopTimeout, Duration.ZERO);
        }

        /** Whether leader election is on. */
        public boolean isLeaderElection() {
            return leaderElection;
        }

        /** Turns leader election on (PostgreSQL only). */
        public void setLeaderElection(boolean leaderElection) {
            this.leaderElection = leaderElection;
        }

        /** The leader lock namespace. */
        public String getLeaderNamespace() {
            return leaderNamespace;
        }

        /** Sets the leader lock namespace. */
        public void setLeaderNamespace(String leaderNamespace) {
            this.leaderNamespace = leaderNamespace;
        }

        /** The leadership check interval. */
        public Duration getLeaderCheckInterval() {
            return leaderCheckInterval;
        }

        /** Sets the leadership check interval (positive). */
        public void setLeaderCheckInterval(Duration leaderCheckInterval) {
            this.leaderCheckInterval = atLeast("eskit.subscriptions.leader-check-interval", leaderCheckInterval,
                    Duration.ofNanos(1));
        }
    }

    /** {@code eskit.health.*}: the Actuator health indicator. */
    public static class Health {
        /** Lag (events) above which a running subscription is DOWN (0 or more); 0 reports lag without judging it. */
        private long maxLag;

        /** The lag threshold, 0 for none. */
        public long getMaxLag() {
            return maxLag;
        }

        /**
         * Sets the lag threshold (0 for none).
         *
         * @throws IllegalArgumentException when negative, naming the property
         */
        public void setMaxLag(long maxLag) {
            this.maxLag = inRange("eskit.health.max-lag", maxLag, 0, Long.MAX_VALUE,
                    " (0: report lag without judging it)");
        }
    }
}
