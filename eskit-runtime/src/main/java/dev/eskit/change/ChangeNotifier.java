package dev.eskit.change;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.Transactor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import dev.eskit.tenancy.TenantScope;

/**
 * Hands the committed changes of read models to the subscribers that watch them, in one JVM. Projections publish
 * through {@link #announcing(Projector, ChangeKeys)} (plain handlers: after each event is applied) or
 * {@link #announcing(String, Transactor, ChangeKeys)} (transactional handlers: after the transaction commits, never
 * for a rolled-back one). Subscribers register with {@link #subscribe(Collection)} for whole read models or single
 * keys.
 *
 * <p>Publishing never blocks on a subscriber: each has a bounded buffer ({@link #DEFAULT_BUFFER} signals unless
 * told otherwise), and one that falls behind has its buffer replaced by a {@link Resync}. The notifier also keeps the
 * last {@link #DEFAULT_HISTORY} changes so that a reconnecting client can {@link #subscribe(Collection, Position,
 * int) resume} after the position it saw last (Server-Sent Events' {@code Last-Event-ID}); when the history cannot
 * prove that nothing was missed, the client gets a {@link Resync} instead.
 *
 * <p>Thread-safe. Changes are delivered in the order they are published; one projection publishes its changes in
 * log order. A {@link #onPublish relay} forwards locally published changes to other nodes, and hands theirs to
 * {@link #receive(Change)}.
 *
 * <p><b>Tenants.</b> Read model names are shared by everything that uses one notifier. Give each tenant its view,
 * {@code TenantScope.of(tenant).changes(notifier)} ({@link #forTenant}): a view keeps the tenant's read models as
 * {@code <tenant>::<name>}, so a tenant's subscribers are never woken or fed by another tenant's changes, resyncs or
 * history, and see their own read model names. An {@link #announcing(Projector, ChangeKeys) announcing projector}
 * whose {@link Projector#subscription subscription} is built on a tenant's event store announces through the
 * tenant's view by itself.
 */
public final class ChangeNotifier {

    /** Signals buffered per subscriber by default. */
    public static final int DEFAULT_BUFFER = 1024;

    /** Changes kept for resuming clients by default. */
    public static final int DEFAULT_HISTORY = 4096;

    private final int subscriberBuffer;
    private final int historySize;
    /** Guards the fields below, so that history, resumes and deliveries agree on one order. */
    private final Object lock = new Object();
    private final Map<String, List<ChangeSubscription>> byReadModel = new HashMap<>();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    /** Per read model: the history holds every change after this position (absent: nothing is known). */
    private final Map<String, Position> floors = new HashMap<>();
    private final List<Consumer<Change>> forwarders = new CopyOnWriteArrayList<>();
    private Position newest = Position.START;
    private long published;
    /** The notifier that holds the state: this one, or the shared notifier of a tenant's view. */
    private final ChangeNotifier root;
    /** The tenant of a view; {@code null} for the shared notifier. */
    private final TenantScope scope;

    private ChangeNotifier(int subscriberBuffer, int historySize) {
        if (subscriberBuffer < 1 || historySize < 0) {
            throw new InvalidInputException("A change notifier needs a subscriber buffer of at least 1 (got "
                    + subscriberBuffer + ") and a history of at least 0 (got " + historySize + ").");
        }
        this.subscriberBuffer = subscriberBuffer;
        this.historySize = historySize;
        this.root = this;
        this.scope = null;
    }

    /** Tenant {@code scope}'s view of {@code root}. */
    private ChangeNotifier(ChangeNotifier root, TenantScope scope) {
        this.subscriberBuffer = root.subscriberBuffer;
        this.historySize = root.historySize;
        this.root = root;
        this.scope = scope;
    }

    /** A notifier with the default buffer and history sizes. */
    public static ChangeNotifier create() {
        return new ChangeNotifier(DEFAULT_BUFFER, DEFAULT_HISTORY);
    }

    /**
     * A notifier whose subscribers buffer {@code subscriberBuffer} signals by default and that keeps the last
     * {@code history} changes for resuming clients (0: resumes always get a {@link Resync}).
     */
    public static ChangeNotifier create(int subscriberBuffer, int history) {
        return new ChangeNotifier(subscriberBuffer, history);
    }

    // ------------------------------------------------------------------ tenants

    /**
     * Tenant {@code scope}'s view of this notifier (what {@code TenantScope.changes(notifier)} returns): read model
     * {@code balances} of the view is {@code <tenant>::balances} of the shared notifier. Changes the view publishes,
     * receives or resyncs, and the subscriptions it opens, concern only the tenant's read models; its subscribers get
     * the changes with the names the tenant used. {@link #newest()} and {@link #published()} stay the shared
     * notifier's (positions are the shared log's); {@link #subscribers()} counts the tenant's subscriptions. Relays
     * ({@link #onPublish}) run on the shared notifier only, carrying every tenant's changes under their scoped names.
     * A view of this tenant is returned as it is.
     *
     * @throws dev.eskit.tenancy.InvalidTenantException when this is another tenant's view
     */
    public ChangeNotifier forTenant(TenantScope scope) {
        Objects.requireNonNull(scope, "scope");
        if (this.scope == null) {
            return new ChangeNotifier(this, scope);
        }
        if (!this.scope.equals(scope)) {
            throw new dev.eskit.tenancy.InvalidTenantException("The change notifier of tenant \""
                    + this.scope.tenant() + "\" was given to tenant \"" + scope.tenant() + "\". Give each tenant"
                    + " TenantScope.changes(sharedNotifier).");
        }
        return this;
    }

    /** The tenant of this view, or empty for a shared notifier. */
    public Optional<TenantScope> tenantScope() {
        return Optional.ofNullable(scope);
    }

    /** {@code change} as the shared notifier keeps it. */
    private Change scoped(Change change) {
        return new Change(scope.name("Read model name", change.readModel()), change.keys(), change.position());
    }

    private Topic scoped(Topic topic) {
        return new Topic(scope.name("Read model name", topic.readModel()), topic.key());
    }

    /** {@code change} (as the shared notifier keeps it) as the tenant knows it. */
    private Change unscoped(Change change) {
        return new Change(scope.unscoped(change.readModel()), change.keys(), change.position());
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Announces a committed change made in this JVM: delivers it to the subscribers of its topics, keeps it for
     * resumes, and hands it to the {@link #onPublish forwarders}. Call it only after the change is committed.
     */
    public void publish(Change change) {
        Objects.requireNonNull(change, "change");
        if (scope != null) {
            root.publish(scoped(change));
            return;
        }
        synchronized (lock) {
            deliver(change);
            for (Consumer<Change> forwarder : forwarders) {
                try {
                    forwarder.accept(change);
                } catch (RuntimeException e) {
                    // A forwarder must not stop local delivery; relays record their own failures.
                }
            }
        }
    }

    /** Delivers a change that another node published (what a relay calls); it is not forwarded again. */
    public void receive(Change change) {
        Objects.requireNonNull(change, "change");
        if (scope != null) {
            root.receive(scoped(change));
            return;
        }
        synchronized (lock) {
            deliver(change);
        }
    }

    /**
     * Tells the subscribers of {@code readModel} (of every read model when {@code null}) to reload, and forgets the
     * history of it: a read model was rebuilt, or a relay may have missed changes.
     *
     * @param reason for the {@link Resync} signal ({@code "rebuild"}, {@code "relay"}, ...)
     */
    public void resync(String readModel, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (scope != null) {
            root.resync(readModel == null ? null : scope.name("Read model name", readModel), scope.prefix(), reason);
            return;
        }
        resync(readModel, "", reason);
    }

    /** {@link #resync(String, String)} on the shared notifier; {@code readModel == null} means those named prefix*. */
    private void resync(String readModel, String prefix, String reason) {
        synchronized (lock) {
            Resync signal = new Resync(newest, reason);
            if (readModel == null) {
                floors.keySet().removeIf(name -> name.startsWith(prefix));
                history.removeIf(c -> c.readModel().startsWith(prefix));
                for (Map.Entry<String, List<ChangeSubscription>> subscribers : byReadModel.entrySet()) {
                    if (subscribers.getKey().startsWith(prefix)) {
                        subscribers.getValue().forEach(s -> s.offer(signal));
                    }
                }
            } else {
                floors.remove(readModel);
                history.removeIf(c -> c.readModel().equals(readModel));
                byReadModel.getOrDefault(readModel, List.of()).forEach(s -> s.offer(signal));
            }
        }
    }

    private void deliver(Change change) {
        published++;
        if (change.position().isAfter(newest)) {
            newest = change.position();
        }
        remember(change);
        List<ChangeSubscription> subscribers = byReadModel.get(change.readModel());
        if (subscribers != null) {
            for (ChangeSubscription subscriber : subscribers) {
                if (subscriber.accepts(change)) {
                    subscriber.offer(change);
                }
            }
        }
    }

    private void remember(Change change) {
        if (historySize == 0) {
            return;
        }
        floors.putIfAbsent(change.readModel(), change.position());
        history.addLast(change);
        if (history.size() > historySize) {
            Change evicted = history.removeFirst();
            floors.computeIfPresent(evicted.readModel(),
                    (name, floor) -> evicted.position().isAfter(floor) ? evicted.position() : floor);
        }
    }

    // ------------------------------------------------------------------ subscribing

    /** A subscription to {@code topics} with the default buffer, receiving the changes published from now on. */
    public ChangeSubscription subscribe(Collection<Topic> topics) {
        return subscribe(topics, null, subscriberBuffer);
    }

    /**
     * A subscription to {@code topics} that first replays the kept changes after {@code after} (the position a
     * reconnecting client saw last), then receives new ones. When the history cannot show that nothing after
     * {@code after} is missing (it was too short, the notifier restarted since, {@code after} is past the read model's
     * last change, or the topics span several read models, whose positions interleave), the first signal is a
     * {@link Resync} with reason {@code "resume"}.
     *
     * @param after    the last position the client saw, or {@code null} to start with new changes
     * @param capacity the subscription's buffer size
     * @throws InvalidInputException when {@code topics} is empty or {@code capacity} is below 1
     */
    public ChangeSubscription subscribe(Collection<Topic> topics, Position after, int capacity) {
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new InvalidInputException("Subscribe to at least one topic, such as Topic.of(\"balances\").");
        }
        if (capacity < 1) {
            throw new InvalidInputException("A change subscription's buffer must hold at least 1 signal, not "
                    + capacity + ".");
        }
        List<Topic> list = List.copyOf(new LinkedHashSet<>(topics));
        if (scope != null) {
            List<Topic> kept = list.stream().map(this::scoped).toList();
            return root.open(new ChangeSubscription(root, kept, list, this::unscoped, capacity), after);
        }
        return open(new ChangeSubscription(this, list, list, UnaryOperator.identity(), capacity), after);
    }

    private ChangeSubscription open(ChangeSubscription subscription, Position after) {
        Set<String> readModels = new LinkedHashSet<>();
        subscription.keptTopics().forEach(t -> readModels.add(t.readModel()));
        synchronized (lock) {
            if (after != null) {
                replay(subscription, readModels, after);
            }
            for (String readModel : readModels) {
                byReadModel.computeIfAbsent(readModel, k -> new ArrayList<>()).add(subscription);
            }
        }
        return subscription;
    }

    private void replay(ChangeSubscription subscription, Set<String> readModels, Position after) {
        String readModel = readModels.size() == 1 ? readModels.iterator().next() : null;
        Position floor = readModel == null ? null : floors.get(readModel);
        if (floor == null || after.compareTo(floor) < 0) {
            subscription.offer(new Resync(newest, "resume"));
            return;
        }
        List<Change> missed = new ArrayList<>();
        Position last = floor;
        for (Change change : history) {
            if (change.readModel().equals(readModel) && change.position().isAfter(last)) {
                last = change.position();
            }
            if (change.position().isAfter(after) && subscription.accepts(change)) {
                missed.add(change);
            }
        }
        // A position past the read model's last change was not handed out by this notifier: the client saw another
        // run (an in-memory or reset store, a restarted server) or a node this one has not heard from yet.
        if (after.isAfter(last) || missed.size() > subscription.capacity()) {
            subscription.offer(new Resync(newest, "resume"));
            return;
        }
        missed.forEach(subscription::offer);
    }

    void remove(ChangeSubscription subscription) {
        synchronized (lock) {
            for (Topic topic : subscription.keptTopics()) {
                List<ChangeSubscription> subscribers = byReadModel.get(topic.readModel());
                if (subscribers != null) {
                    subscribers.remove(subscription);
                    if (subscribers.isEmpty()) {
                        byReadModel.remove(topic.readModel());
                    }
                }
            }
        }
    }

    /**
     * Calls {@code forwarder} with every change published in this JVM (not with received ones), on the publishing
     * thread, in publishing order; for relays to other nodes. It must be quick and must not block.
     *
     * @return closes the registration
     */
    public Registration onPublish(Consumer<Change> forwarder) {
        Objects.requireNonNull(forwarder, "forwarder");
        if (scope != null) {
            throw new InvalidInputException("Relays forward the shared notifier's changes (every tenant's, under"
                    + " their scoped names), not a view's: start the relay on the shared notifier, not on tenant \""
                    + scope.tenant() + "\"'s view.");
        }
        Consumer<Change> entry = forwarder::accept;
        forwarders.add(entry);
        return () -> forwarders.remove(entry);
    }

    // ------------------------------------------------------------------ introspection

    /** How many subscriptions are open. */
    public int subscribers() {
        return root.subscribers(scope == null ? "" : scope.prefix());
    }

    private int subscribers(String prefix) {
        synchronized (lock) {
            Set<ChangeSubscription> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            byReadModel.forEach((name, subscribers) -> {
                if (name.startsWith(prefix)) {
                    distinct.addAll(subscribers);
                }
            });
            return distinct.size();
        }
    }

    /** The highest position of any change seen so far ({@link Position#START} before the first). */
    public Position newest() {
        if (scope != null) {
            return root.newest();
        }
        synchronized (lock) {
            return newest;
        }
    }

    /** How many changes were published or received so far. */
    public long published() {
        if (scope != null) {
            return root.published();
        }
        synchronized (lock) {
            return published;
        }
    }

    // ------------------------------------------------------------------ projections

    /**
     * A projector that applies each event with {@code projector} and then announces the change of the keys
     * {@code keys} names, at the event's position. A {@link Projector#reset() reset} (a rebuild) sends every
     * subscriber of the read model a {@link Resync}. The read model's name is the projector's name.
     *
     * <pre>{@code
     * Projector live = changes.announcing(Projector.of(new BalancesHandlers(balances)), ChangeKeys.streamId());
     * Subscription s = live.subscription(store, checkpoints).build().start();
     * }</pre>
     */
    public Projector announcing(Projector projector, ChangeKeys keys) {
        // A view announces through itself; the shared notifier's projector adopts the tenant of its store.
        return AnnouncingProjector.wrap(this, projector, keys);
    }

    /**
     * A transactor for a transactional projection named {@code readModel} that announces the changes of a
     * transaction once it has committed (and nothing when it rolls back). Wrap the handler with
     * {@link AnnouncingTransactor#handler} so that it records the keys:
     *
     * <pre>{@code
     * AnnouncingTransactor<Handle> live = changes.announcing("balances", JdbiTransactor.of(store), ChangeKeys.streamId());
     * Subscription.builder("balances", store, store.checkpoints())
     *         .transactional(live, live.handler(balancesTable))
     *         .onReset(live.onReset(balancesTable::clear))
     *         .build().start();
     * }</pre>
     */
    public <T> AnnouncingTransactor<T> announcing(String readModel, Transactor<T> transactor, ChangeKeys keys) {
        return new AnnouncingTransactor<>(this, readModel, transactor, keys);
    }

    @Override
    public String toString() {
        return "ChangeNotifier[" + (scope == null ? "" : "tenant=" + scope.tenant() + ", ") + "subscribers="
                + subscribers() + ", newest=" + newest() + "]";
    }

    /** A forwarder's registration. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        /** Stops the calls; closing twice is harmless. */
        @Override
        void close();
    }
}
