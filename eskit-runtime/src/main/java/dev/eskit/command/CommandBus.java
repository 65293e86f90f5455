package dev.eskit.command;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Retry;
import dev.eskit.UnknownCommandException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends bare commands to the right stream: each command's class selects a {@link CommandRoute}, which names the
 * decider, the stream type and the stream id.
 *
 * <pre>{@code
 * CommandBus bus = CommandBus.builder(store)
 *     .register(AccountDecider.routes())
 *     .retry(Retry.attempts(3))
 *     .build();
 * bus.send(new Deposit("a-1", 500));
 * }</pre>
 */
public final class CommandBus {

    private record Target(CommandRoute<?, ?, ?> route, CommandHandler<?, ?, ?> handler) {
    }

    private final Map<Class<?>, Target> targets;
    private final java.util.Optional<dev.eskit.tenancy.TenantScope> tenant;

    private CommandBus(Map<Class<?>, Target> targets, java.util.Optional<dev.eskit.tenancy.TenantScope> tenant) {
        this.targets = Map.copyOf(targets);
        this.tenant = tenant;
    }

    /**
     * The tenant whose view the bus's store is ({@link dev.eskit.tenancy.TenantScope#of(EventStore)}), or empty for a
     * bus outside any tenant. A {@link dev.eskit.command.queue.CommandQueue} on this bus keeps its commands in the
     * tenant's view of its queue store.
     */
    public java.util.Optional<dev.eskit.tenancy.TenantScope> tenantScope() {
        return tenant;
    }

    /** A builder for a bus on {@code store}. */
    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** Sends {@code command} with a fresh context. */
    public CommandResult<?, ?> send(Object command) {
        return send(command, CommandContext.create());
    }

    /**
     * Sends {@code command} to its route's decider.
     *
     * @throws UnknownCommandException when no route is registered for the command's class
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CommandResult<?, ?> send(Object command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        Target target = targets.get(command.getClass());
        if (target == null) {
            throw new UnknownCommandException("No route for command " + command.getClass().getName()
                    + ". Register the routes of the decider that handles it:"
                    + " CommandBus.builder(store).register(<Name>Decider.routes()).");
        }
        String streamId = target.route().streamId().apply(command);
        return ((CommandHandler) target.handler()).handle(streamId, command, context);
    }

    /**
     * The stream {@code command} goes to.
     *
     * @throws UnknownCommandException when no route is registered for the command's class
     */
    public dev.eskit.StreamRef streamOf(Object command) {
        Objects.requireNonNull(command, "command");
        Target target = targets.get(command.getClass());
        if (target == null) {
            throw new UnknownCommandException("No route for command " + command.getClass().getName()
                    + ". Register the routes of the decider that handles it:"
                    + " CommandBus.builder(store).register(<Name>Decider.routes()).");
        }
        return dev.eskit.StreamRef.of(target.route().streamType(), target.route().streamId().apply(command));
    }

    /**
     * The state caches of the bus's handlers by stream type (one handler per decider and stream type; the caches of
     * two deciders of one stream type are added up), sorted by stream type; a stream type whose handler has no cache
     * is left out. See {@link CommandHandler#stateCache()}.
     */
    public java.util.SortedMap<String, StateCacheStats> stateCaches() {
        java.util.SortedMap<String, StateCacheStats> caches = new java.util.TreeMap<>();
        java.util.Set<CommandHandler<?, ?, ?>> seen = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        for (Target target : targets.values()) {
            if (seen.add(target.handler())) {
                target.handler().stateCache().ifPresent(stats ->
                        caches.merge(target.route().streamType(), stats, StateCacheStats::plus));
            }
        }
        return caches;
    }

    /** The command classes this bus routes. */
    public java.util.Set<Class<?>> commandTypes() {
        return targets.keySet();
    }

    /** Collects routes and options. */
    public static final class Builder {
        private final EventStore store;
        private final List<CommandRoute<?, ?, ?>> routes = new ArrayList<>();
        private final List<CommandMiddleware> middleware = new ArrayList<>();
        private Retry retry = Retry.none();
        private dev.eskit.command.log.CommandRecorder recorder;
        private dev.eskit.command.queue.CommandQueueStore queueStore;
        // -1: as each decider's states allow (see CommandHandler.Builder.cacheStates).
        private int cachedStreams = -1;

        private Builder(EventStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Registers one route. */
        public Builder register(CommandRoute<?, ?, ?> route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** Registers routes, such as a generated {@code <Name>Decider.routes()}. */
        public Builder register(Collection<? extends CommandRoute<?, ?, ?>> values) {
            values.forEach(this::register);
            return this;
        }

        /** Adds middleware around every command; the first added runs outermost. */
        public Builder middleware(CommandMiddleware value) {
            middleware.add(Objects.requireNonNull(value, "middleware"));
            return this;
        }

        /**
         * Logs every command with {@code value} (off by default): its middleware runs outermost, and the handlers
         * append through {@link dev.eskit.command.log.CommandRecorder#wrap} so that an accepted command's entry is
         * written with its events. See {@code docs/commands.md}.
         */
        public Builder commandLog(dev.eskit.command.log.CommandRecorder value) {
            recorder = Objects.requireNonNull(value, "recorder");
            return this;
        }

        /**
         * Records the outcome of each command a queue on {@code value} runs through this bus in the transaction that
         * appends its events (when the queue store shares the bus's store's database, as {@code JdbiCommandQueueStore}
         * on the same {@code JdbiEventStore} does; other stores append, then record). With the command log on as
         * well, the log keeps its shared transaction and the queue records the outcome just after it. See
         * {@code docs/commands.md}.
         */
        public Builder queueOutcomes(dev.eskit.command.queue.CommandQueueStore value) {
            queueStore = Objects.requireNonNull(value, "queueStore");
            return this;
        }

        /** Retries every command on concurrency conflicts (default: none), such as {@code Retry.attempts(3)}. */
        public Builder retry(Retry value) {
            retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        /**
         * Gives every handler of the bus (one per decider and stream type) a state cache of up to {@code maxStreams}
         * streams; see {@link CommandHandler.Builder#cacheStates(int)}. States must be immutable. By default each
         * handler caches {@link CommandHandler#DEFAULT_CACHED_STREAMS} streams when its decider's states are proven
         * immutable ({@link Decider#immutableStates()}) or checked one by one ({@link Decider#checksStates()}, the
         * changeable ones cached as copies) and none otherwise; {@code cacheStates(0)} turns every cache off.
         *
         * @param maxStreams how many streams each handler keeps, 0 for no cache
         * @throws InvalidInputException when {@code maxStreams} is negative
         */
        public Builder cacheStates(int maxStreams) {
            cachedStreams = CommandHandler.checkCachedStreams(maxStreams);
            return this;
        }

        /**
         * Same as {@link #retry(Retry)} with {@code value.toRetry()}.
         *
         * @deprecated use {@link #retry(Retry)}
         */
        @Deprecated
        public Builder retry(RetryPolicy value) {
            return retry(Objects.requireNonNull(value, "retry").toRetry());
        }

        /**
         * Builds the bus.
         *
         * @throws InvalidInputException when two routes claim one command class
         */
        public CommandBus build() {
            Map<Class<?>, Target> targets = new HashMap<>();
            Map<Decider<?, ?, ?>, Map<String, CommandHandler<?, ?, ?>>> handlers = new IdentityHashMap<>();
            // A tenant's bus records into the tenant's view of the log (dev.eskit.tenancy), never unscoped.
            dev.eskit.command.log.CommandRecorder recorder = this.recorder == null ? null
                    : dev.eskit.tenancy.TenantScope.adopt(store, this.recorder);
            EventStore logged = recorder == null ? store : recorder.wrap(store);
            // A tenant's bus records the outcomes of its own queue: the tenant's view of the queue store.
            EventStore target = queueStore == null ? logged
                    : dev.eskit.command.queue.CommandQueue.recordingOutcomes(logged, dev.eskit.tenancy.TenantScope
                    .of(store).map(scope -> (dev.eskit.command.queue.CommandQueueStore) scope.commandQueue(queueStore))
                    .orElseGet(() -> dev.eskit.tenancy.NoTenantCommandQueueStore.of(queueStore)));
            List<CommandMiddleware> chain = new ArrayList<>(middleware);
            if (recorder != null) {
                chain.add(0, recorder.middleware());
            }
            for (CommandRoute<?, ?, ?> route : routes) {
                CommandHandler<?, ?, ?> handler = handlers
                        .computeIfAbsent(route.decider(), d -> new HashMap<>())
                        .computeIfAbsent(route.streamType(), type -> handler(route, target, chain));
                Target previous = targets.putIfAbsent(route.commandType(), new Target(route, handler));
                if (previous != null) {
                    throw new InvalidInputException("Command " + route.commandType().getName()
                            + " has two routes (stream types \"" + previous.route().streamType() + "\" and \""
                            + route.streamType() + "\"). Each command class must go to exactly one decider.");
                }
            }
            return new CommandBus(targets, dev.eskit.tenancy.TenantScope.of(store));
        }

        private <S, C, E> CommandHandler<S, C, E> handler(CommandRoute<S, C, E> route, EventStore target,
                                                          List<CommandMiddleware> chain) {
            CommandHandler.Builder<S, C, E> builder = CommandHandler.builder(target, route.decider(), route.streamType())
                    .retry(retry)
                    .middleware(chain);
            if (cachedStreams >= 0) {
                builder.cacheStates(cachedStreams);
            }
            return builder.build();
        }
    }
}
