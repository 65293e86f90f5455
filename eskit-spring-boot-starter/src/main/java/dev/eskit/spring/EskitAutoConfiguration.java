package dev.eskit.spring;

import dev.eskit.EventStore;
import dev.eskit.Retry;
import dev.eskit.automation.Automation;
import dev.eskit.automation.Automations;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandRouteRegistry;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.log.CommandLog;
import dev.eskit.command.log.CommandRecorder;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.jdbi.command.JdbiCommandLog;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.postgres.PostgresLeaderElection;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.leader.LeaderSupervisor;
import dev.eskit.projection.ProjectionHandler;
import dev.eskit.projection.Projector;
import dev.eskit.store.InMemoryEventStore;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.todo.TodoProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * eskit on Spring Boot: the event types of every generated registry on the class path, a JSON codec, the store on
 * the application's {@code DataSource} (SQLite or PostgreSQL, told from the connection), the command bus with every
 * generated route, and the subscriptions of the application's projections, automations and todo processors. Every
 * bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "eskit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EskitProperties.class)
public class EskitAutoConfiguration {

    /** Every {@code EventTypeRegistry} the processor listed under {@code META-INF/services}. */
    @Bean
    @ConditionalOnMissingBean
    public EventTypes eskitEventTypes(ApplicationContext context) {
        return EventTypes.discover(context.getClassLoader());
    }

    /**
     * The JSON codec of those types; with a {@code PersonalDataProtector} bean, {@code protector.codec(types)}, so
     * {@code @PersonalData} fields are stored encrypted (and the command log, queue, dead letters and snapshots on
     * the store protect them too).
     */
    @Bean
    @ConditionalOnMissingBean
    public EventCodec eskitEventCodec(EventTypes types, ObjectProvider<PersonalDataProtector> protector) {
        PersonalDataProtector personalData = protector.getIfUnique();
        return personalData != null ? personalData.codec(types) : JsonEventCodec.create(types);
    }

    /** The store on the application's DataSource; its tables are created or migrated at start. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(EventStore.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    public JdbiEventStore eskitEventStore(DataSource dataSource, EventCodec codec, EskitProperties properties) {
        JdbiEventStore.Builder builder = JdbiEventStore.builder(codec).dataSource(dataSource)
                .tablePrefix(properties.getStore().getTablePrefix())
                .eventTypeIndex(properties.getStore().isEventTypeIndex());
        if (properties.getStore().getSchema() != null) {
            builder.schema(properties.getStore().getSchema());
        }
        return builder.build();
    }

    /**
     * With {@code eskit.store.join-spring-transactions=true}: the command bus appends inside the calling thread's
     * Spring-managed transaction, when there is one (innermost, below metrics and your own decorators).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnBooleanProperty(name = "eskit.store.join-spring-transactions")
    @ConditionalOnMissingBean(name = "eskitSpringTransactions")
    public EventStoreDecorator eskitSpringTransactions(ObjectProvider<DataSource> dataSource,
                                                      ListableBeanFactory beans) {
        return store -> {
            DataSource source = dataSource.getIfUnique();
            // Only the starter's own store is known to be on that DataSource: another JdbiEventStore's events would
            // be appended to the DataSource's database instead of its own.
            if (!(store instanceof JdbiEventStore jdbi) || source == null
                    || !beans.containsBean("eskitEventStore")) {
                throw new IllegalStateException("eskit.store.join-spring-transactions=true needs the starter's store"
                        + " on the application's DataSource. Turn it off when you define your own EventStore.");
            }
            return new SpringTransactionEventStore(jdbi, source);
        };
    }

    /** The store's own checkpoint table (or memory, for an in-memory store). */
    @Bean
    @ConditionalOnMissingBean
    public CheckpointStore eskitCheckpointStore(EventStore store) {
        if (store instanceof JdbiEventStore jdbi) {
            return jdbi.checkpoints();
        }
        if (store instanceof InMemoryEventStore) {
            return CheckpointStore.inMemory();
        }
        throw new IllegalStateException("The event store bean is a " + store.getClass().getName() + ", for which"
                + " eskit cannot tell where to keep subscription checkpoints. Define a CheckpointStore bean.");
    }

    /** Dead letters in the store's own database (or memory, for a store without one). */
    @Bean
    @ConditionalOnMissingBean
    public DeadLetterStore eskitDeadLetterStore(EventStore store) {
        if (store instanceof JdbiEventStore jdbi) {
            return JdbiDeadLetterStore.create(jdbi.jdbi(), jdbi);
        }
        return DeadLetterStore.inMemory();
    }

    /**
     * The command bus: every route of every generated {@code CommandRouteRegistry} plus the application's
     * {@code CommandRoute} beans (which win for the same command class), the {@code CommandMiddleware} beans in
     * order, retries on concurrency conflicts, appending through the {@code EventStoreDecorator} beans.
     */
    @Bean
    @ConditionalOnMissingBean
    public CommandBus eskitCommandBus(EventStore store, EskitProperties properties, ApplicationContext context,
                                      ObjectProvider<CommandRoute<?, ?, ?>> routes,
                                      ObjectProvider<CommandMiddleware> middleware,
                                      ObjectProvider<EventStoreDecorator> decorators,
                                      ObjectProvider<CommandRecorder> recorder,
                                      ObjectProvider<CommandQueueStore> queueStore,
                                      ObjectProvider<PersonalDataProtector> protector) {
        requireProtected(store, protector.getIfUnique());
        EventStore appendTo = store;
        for (EventStoreDecorator decorator : decorators.orderedStream().toList()) {
            appendTo = decorator.decorate(appendTo);
        }
        CommandBus.Builder bus = CommandBus.builder(appendTo);
        Set<Class<?>> own = new HashSet<>();
        for (CommandRoute<?, ?, ?> route : routes.orderedStream().toList()) {
            own.add(route.commandType());
            bus.register(route);
        }
        for (CommandRoute<?, ?, ?> route : CommandRouteRegistry.discover(context.getClassLoader())) {
            if (!own.contains(route.commandType())) {
                bus.register(route);
            }
        }
        middleware.orderedStream().forEach(bus::middleware);
        int attempts = properties.getCommands().getRetryAttempts();
        bus.retry(attempts == 1 ? Retry.none() : Retry.attempts(attempts));
        Integer stateCache = properties.getCommands().getStateCache();
        if (stateCache != null) {
            bus.cacheStates(stateCache);
        }
        recorder.ifAvailable(bus::commandLog);
        if (properties.getCommands().getQueue().isOutcomesInAppend()) {
            queueStore.ifAvailable(bus::queueOutcomes);
        }
        return bus.build();
    }

    /**
     * Refuses a {@code PersonalDataProtector} bean that the store's codec does not use: {@code @PersonalData} would
     * be written in clear while the application believes it protected.
     */
    private static void requireProtected(EventStore store, PersonalDataProtector protector) {
        if (protector != null && store instanceof JdbiEventStore jdbi && jdbi.personalData().isEmpty()) {
            throw new IllegalStateException("A PersonalDataProtector bean is defined, but the event store's codec"
                    + " does not use it, so @PersonalData fields would be stored in clear. Remove your EventCodec"
                    + " bean (the starter then builds protector.codec(types)), or build it, and your JdbiEventStore,"
                    + " with protector.codec(types) or protector.streamingCodec(types).");
        }
    }

    /** Every {@code CommandTypeRegistry} the processor listed: what the command log and the queue store commands as. */
    @Bean
    @ConditionalOnMissingBean
    public CommandTypes eskitCommandTypes(ApplicationContext context) {
        return CommandTypes.discover(context.getClassLoader());
    }

    /**
     * With {@code eskit.commands.log.enabled=true}: the command log in the {@code command_log} table of the store's
     * own database (whichever {@code DataSource} the store is on), written by the bus in the append's transaction,
     * with {@code eskit.commands.log.retention}; in memory for {@code EventStore.inMemory()}. Any other store fails
     * the start: define a {@code CommandRecorder} bean for it.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "eskit.commands.log.enabled")
    public CommandRecorder eskitCommandRecorder(EventStore store, CommandTypes types, EskitProperties properties,
                                                ObjectProvider<PersonalDataProtector> protector) {
        CommandLog log;
        if (store instanceof JdbiEventStore jdbi) {
            log = JdbiCommandLog.create(jdbi.jdbi(), jdbi);
        } else if (store instanceof InMemoryEventStore) {
            log = CommandLog.inMemory();
        } else {
            throw new IllegalStateException(unknownDatabase("eskit.commands.log.enabled", store, "command log",
                    "CommandRecorder bean (CommandRecorder.of(JdbiCommandLog.create(jdbi, jdbiStore), types))"));
        }
        CommandRecorder recorder = CommandRecorder.of(log, types);
        PersonalDataProtector personalData = protector.getIfUnique();
        if (personalData != null && log.personalData().isEmpty()) {
            recorder = recorder.personalData(personalData);    // the in-memory log: a Jdbi one has the store's
        }
        Duration retention = properties.getCommands().getLog().getRetention();
        return retention == null ? recorder : recorder.retention(retention);
    }

    /**
     * With {@code eskit.commands.queue.enabled=true}: the queue's table in the store's own database (whichever
     * {@code DataSource} the store is on); in memory for {@code EventStore.inMemory()}. Any other store fails the
     * start: define a {@code CommandQueueStore} bean for it. With {@code eskit.commands.queue.outcomes-in-append=true}
     * the bus records queued commands' outcomes in their append's transaction.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "eskit.commands.queue.enabled")
    public CommandQueueStore eskitCommandQueueStore(EventStore store) {
        if (store instanceof JdbiEventStore jdbi) {
            return JdbiCommandQueueStore.create(jdbi.jdbi(), jdbi);
        }
        if (store instanceof InMemoryEventStore) {
            return CommandQueueStore.inMemory();
        }
        throw new IllegalStateException(unknownDatabase("eskit.commands.queue.enabled", store, "command queue",
                "CommandQueueStore bean (JdbiCommandQueueStore.create(jdbi, jdbiStore))"));
    }

    /** The start failure for a durable command table on a store whose database eskit cannot reach. */
    private static String unknownDatabase(String property, EventStore store, String what, String bean) {
        return property + "=true, but the event store bean is a " + store.getClass().getName() + ", for which eskit"
                + " cannot tell which database to keep the " + what + " in (it must be the events' own, to commit"
                + " with them), and will not keep it in memory. Define a " + bean + " on the store's database, make"
                + " the EventStore bean the JdbiEventStore itself (wrap it with an EventStoreDecorator bean instead),"
                + " or set " + property + "=false.";
    }

    /** The durable command queue over that table and the bus, with the {@code eskit.commands.queue.*} settings. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "eskit.commands.queue.enabled")
    public CommandQueue eskitCommandQueue(CommandQueueStore queueStore, CommandBus bus, CommandTypes types,
                                          EskitProperties properties,
                                          ObjectProvider<PersonalDataProtector> protector) {
        EskitProperties.Queue settings = properties.getCommands().getQueue();
        Duration delay = settings.getRetryDelay();
        CommandQueue.Builder builder = CommandQueue.builder(queueStore, bus, types)
                .workers(settings.getWorkers())
                .batchSize(settings.getBatchSize())
                .lease(settings.getLease())
                .pollInterval(settings.getPollInterval())
                .retry(Retry.exponential(settings.getRetryAttempts(), delay, delay.multipliedBy(100)));
        if (settings.isPartitionByStream()) {
            builder.partitionByStream();
        }
        PersonalDataProtector personalData = protector.getIfUnique();
        if (personalData != null && queueStore.personalData().isEmpty()) {
            builder.personalData(personalData);                // the in-memory queue: a Jdbi one has the store's
        }
        return builder.build();
    }

    /** Starts the queue's workers with the context and stops them at shutdown. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "eskit.commands.queue.enabled")
    public EskitCommandQueue eskitCommandQueueLifecycle(CommandQueue queue) {
        return new EskitCommandQueue(queue);
    }

    /**
     * The application's subscriptions, started once the context is ready: one for each {@link Projector},
     * generated {@link ProjectionHandler} and {@link Automation} bean (named after the projection, or after the
     * automation's bean), plus its own {@link Subscription} and {@link TodoProcessor} beans.
     */
    @Bean
    @ConditionalOnMissingBean
    public EskitSubscriptions eskitSubscriptions(ListableBeanFactory beans, EventStore store,
                                                 CheckpointStore checkpoints, DeadLetterStore deadLetters,
                                                 CommandBus bus, EskitProperties properties,
                                                 ObjectProvider<DataSource> dataSource) {
        EskitProperties.Subscriptions settings = properties.getSubscriptions();
        Map<String, Subscription.Builder> builders = new LinkedHashMap<>();
        for (Projector projector : beans.getBeansOfType(Projector.class).values()) {
            add(builders, projector.subscription(store, checkpoints));
        }
        for (ProjectionHandler table : beans.getBeansOfType(ProjectionHandler.class).values()) {
            add(builders, Projector.of(table).subscription(store, checkpoints));
        }
        beans.getBeansOfType(Automation.class).forEach((name, automation) ->
                add(builders, Automations.subscription(name, store, checkpoints, bus, automation)));
        for (Subscription.Builder builder : builders.values()) {
            builder.deadLetters(deadLetters).batchSize(settings.getBatchSize())
                    .pollInterval(settings.getPollInterval());
        }
        LeaderSupervisor supervisor = null;
        List<Subscription> direct = new ArrayList<>(beans.getBeansOfType(Subscription.class).values());
        List<Subscription> supervised = new ArrayList<>();
        if (settings.isLeaderElection() && !builders.isEmpty()) {
            DataSource source = dataSource.getIfUnique();
            if (!(store instanceof JdbiEventStore jdbi) || !"PostgreSQL".equals(jdbi.databaseName())
                    || source == null) {
                throw new IllegalStateException("eskit.subscriptions.leader-election=true needs the eskit store on a"
                        + " PostgreSQL DataSource (it uses advisory locks). Turn it off for SQLite or in memory.");
            }
            supervisor = LeaderSupervisor.create(PostgresLeaderElection.on(source, settings.getLeaderNamespace()),
                    settings.getLeaderCheckInterval());
            for (Subscription.Builder builder : builders.values()) {
                supervised.add(supervisor.supervise(builder));
            }
        } else {
            for (Subscription.Builder builder : builders.values()) {
                direct.add(builder.build());
            }
        }
        List<TodoProcessor> todos = List.copyOf(beans.getBeansOfType(TodoProcessor.class).values());
        return new EskitSubscriptions(direct, supervisor, supervised, todos, settings.getStopTimeout(),
                settings.isAutoStartup());
    }

    private static void add(Map<String, Subscription.Builder> builders, Subscription.Builder builder) {
        if (builders.putIfAbsent(builder.name(), builder) != null) {
            throw new IllegalStateException("Two eskit subscriptions are named \"" + builder.name() + "\" (a"
                    + " projection, projector or automation bean each). Give one of them another name: checkpoints"
                    + " are kept by name.");
        }
    }
}
