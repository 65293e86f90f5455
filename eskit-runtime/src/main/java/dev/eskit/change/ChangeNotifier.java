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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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

    private ChangeNotifier(int subscriberBuffer, int historySize) {
        if (subscriberBuffer < 1 || historySize < 0) {
            throw new InvalidInputException("A change notifier needs a subscriber buffer of at least 1 (got "
                    + subscriberBuffer + ") and a history of at least 0 (got " + historySize + ").");
        }
        this.subscriberBuffer = subscriberBuffer;
        this.historySize = historySize;
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

    // ------------------------------------------------------------------ publishing

    /**
     * Announces a committed change made in this JVM: delivers it to the subscribers of its topics, keeps it for
     * resumes, and hands it to the {@link #onPublish forwarders}. Call it only after the change is committed.
     */
    public void publish(Change change) {
        Objects.requireNonNull(change, "change");
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
        synchronized (lock) {
            Resync signal = new Resync(newest, reason);
            if (readModel == null) {
                floors.clear();
                history.clear();
                for (List<ChangeSubscription> subscribers : byReadModel.values()) {
                    subscribers.forEach(s -> s.offer(signal));
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
                if (subscriber.matches(change)) {
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
     * {@code after} is missing (it was too short, the notifier restarted since, or the topics span several read
     * models, whose positions interleave), the first signal is a {@link Resync} with reason {@code "resume"}.
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
        Set<String> readModels = new LinkedHashSet<>();
        list.forEach(t -> readModels.add(t.readModel()));
        ChangeSubscription subscription = new ChangeSubscription(this, list, capacity);
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
        for (Change change : history) {
            if (change.position().isAfter(after) && subscription.matches(change)) {
                missed.add(change);
            }
        }
        if (missed.size() > subscription.capacity()) {
            subscription.offer(new Resync(newest, "resume"));
            return;
        }
        missed.forEach(subscription::offer);
    }

    void remove(ChangeSubscription subscription) {
        synchronized (lock) {
            for (Topic topic : subscription.topics()) {
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
        Consumer<Change> entry = forwarder::accept;
        forwarders.add(entry);
        return () -> forwarders.remove(entry);
    }

    // ------------------------------------------------------------------ introspection

    /** How many subscriptions are open. */
    public int subscribers() {
        synchronized (lock) {
            Set<ChangeSubscription> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            byReadModel.values().forEach(distinct::addAll);
            return distinct.size();
        }
    }

    /** The highest position of any change seen so far ({@link Position#START} before the first). */
    public Position newest() {
        synchronized (lock) {
            return newest;
        }
    }

    /** How many changes were published or received so far. */
    public long published() {
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
        return "ChangeNotifier[subscribers=" + subscribers() + ", newest=" + newest() + "]";
    }

    /** A forwarder's registration. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        /** Stops the calls; closing twice is harmless. */
        @Override
        void close();
    }
}
