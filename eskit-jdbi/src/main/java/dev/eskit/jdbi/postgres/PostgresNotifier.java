package dev.eskit.jdbi.postgres;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.jdbi.StoreConfigurationException;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.subscription.AppendNotifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes subscriptions on every node when events are appended on any node, with PostgreSQL LISTEN/NOTIFY used as a
 * coalesced hint: after appends on this node it sends <em>one</em> {@code NOTIFY} per burst (appends that commit while
 * a notification is being sent share the next one, never one per event), and every node that listens on the channel
 * wakes its subscriptions. A lost notification costs at most one poll interval: subscriptions still poll.
 *
 * <pre>{@code
 * PostgresNotifier notifier = PostgresNotifier.start(url, "eskit_events");
 * notifier.notifyOn(store);                                   // every commit of the store wakes the other nodes
 * CommandBus bus = CommandBus.builder(store)...;
 * Subscription.builder("balances", store, store.checkpoints()).notifier(notifier)...;
 * }</pre>
 *
 * <p>It holds two dedicated connections (one LISTENs, one sends); LISTEN needs a direct connection, not a
 * transaction-pooling proxy. A broken connection is reopened after a second; after the listening connection is
 * reopened, listeners are woken once, since notifications may have been missed meanwhile.
 */
public final class PostgresNotifier implements AppendNotifier, AutoCloseable {

    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final long RECONNECT_NANOS = 1_000_000_000L;
    private static final int LISTEN_POLL_MILLIS = 250;

    /** Sends one NOTIFY. */
    @FunctionalInterface
    interface Sender {
        void send() throws Exception;
    }

    private final String channel;
    private final PostgresLeaderElection.Connector connector;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final Thread senderThread;
    private final Thread listenerThread;
    private final Sender sender;
    private volatile boolean pending;
    private volatile boolean listening;
    private final Object listeningChanged = new Object();
    private volatile boolean closing;
    private volatile Throwable lastError;
    private Connection sendConnection;

    private PostgresNotifier(String channel, PostgresLeaderElection.Connector connector, Sender sender,
                             boolean listen) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new StoreConfigurationException("Notification channel \"" + channel + "\" is not allowed. Use 1 to"
                    + " 63 lower-case letters, digits and underscores, starting with a letter or underscore, such as"
                    + " \"eskit_events\".");
        }
        this.channel = channel;
        this.connector = connector;
        this.sender = sender != null ? sender : this::sendOnConnection;
        this.senderThread = new Thread(this::sendLoop, "eskit-notify-" + channel);
        this.senderThread.setDaemon(true);
        this.listenerThread = listen ? new Thread(this::listenLoop, "eskit-listen-" + channel) : null;
        if (listenerThread != null) {
            listenerThread.setDaemon(true);
        }
    }

    /** A notifier on channel {@code channel} with dedicated connections to {@code url}; it listens at once. */
    public static PostgresNotifier start(String url, String channel) {
        Objects.requireNonNull(url, "url");
        return start(() -> DriverManager.getConnection(url), channel);
    }

    /** A notifier on channel {@code channel} with connections from {@code connector} (direct, not pooled). */
    public static PostgresNotifier start(PostgresLeaderElection.Connector connector, String channel) {
        return new PostgresNotifier(channel, Objects.requireNonNull(connector, "connector"), null, true).begin();
    }

    /** For tests: a notifier that sends with {@code sender} and does not listen. */
    static PostgresNotifier sendingWith(Sender sender, String channel) {
        return new PostgresNotifier(channel, null, Objects.requireNonNull(sender, "sender"), false).begin();
    }

    private PostgresNotifier begin() {
        senderThread.start();
        if (listenerThread != null) {
            listenerThread.start();
        }
        return this;
    }

    /** The channel's name. */
    public String channel() {
        return channel;
    }

    /** How many NOTIFYs it has sent. */
    public long notificationsSent() {
        return sent.get();
    }

    /** Whether its listening connection is currently LISTENing on the channel. */
    public boolean isListening() {
        return listening;
    }

    /**
     * Waits until its listening connection LISTENs on the channel (notifications sent before that are not heard).
     *
     * @return whether it listens; {@code false} when {@code timeout} passed first
     */
    public boolean awaitListening(java.time.Duration timeout) throws InterruptedException {
        long deadline = dev.eskit.internal.Deadlines.after(timeout);
        synchronized (listeningChanged) {
            while (!listening) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || listenerThread == null) {
                    return listening;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(listeningChanged, left);
            }
            return true;
        }
    }

    private void setListening(boolean value) {
        synchronized (listeningChanged) {
            listening = value;
            listeningChanged.notifyAll();
        }
    }

    /** The last connection failure, if any. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Tells it that events were appended and committed on this node: wakes this node's listeners at once and sends
     * one coalesced NOTIFY soon. Never blocks.
     */
    public void appended() {
        wakeListeners();
        pending = true;
        LockSupport.unpark(senderThread);
    }

    /**
     * Sends a NOTIFY (coalesced, see {@link #appended()}) after every commit of {@code store} that wrote events: for a
     * {@code JdbiEventStore} that is every kind of write (appends, DCB appends, imports, appends inside an
     * application's transaction once it commits through a Jdbi handle). Close the registration to stop.
     */
    public Registration notifyOn(AppendNotifier store) {
        Objects.requireNonNull(store, "store");
        return store.onAppend(this::appended);
    }

    /**
     * A view of {@code store} whose writes reach other nodes: when {@code store} announces its commits (an
     * {@link AppendNotifier} such as {@code JdbiEventStore}), every commit of the store sends a NOTIFY (see
     * {@link #notifyOn}), whichever object the write went through; otherwise the view calls {@link #appended()} after
     * each append through it. Closing the view stops that and does not close the store. Like any
     * {@link ForwardingEventStore} it also passes on the wrapped store's in-JVM append notifications.
     */
    public EventStore notifying(EventStore store) {
        Objects.requireNonNull(store, "store");
        if (store instanceof AppendNotifier committing) {
            Registration registration = notifyOn(committing);
            return new ForwardingEventStore(store) {
                @Override
                public void close() {
                    // A view: the store stays open.
                    registration.close();
                }
            };
        }
        return new ForwardingEventStore(store) {
            @Override
            public AppendResult append(AppendRequest request) {
                AppendResult result = super.append(request);
                if (!result.duplicate()) {
                    appended();
                }
                return result;
            }

            @Override
            public void close() {
                // A view: the store stays open.
            }
        };
    }

    @Override
    public Registration onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable entry = listener::run;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /** Stops both threads and closes the connections. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(senderThread);
        join(senderThread);
        if (listenerThread != null) {
            LockSupport.unpark(listenerThread);
            join(listenerThread);
        }
    }

    private static void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeListeners() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // A wake-up hint only.
            }
        }
    }

    // ------------------------------------------------------------------ sending

    private void sendLoop() {
        try {
            while (!closing) {
                if (!pending) {
                    LockSupport.park(this);
                    continue;
                }
                // Appends that commit from here on set it again and share the next NOTIFY.
                pending = false;
                try {
                    sender.send();
                    sent.incrementAndGet();
                } catch (Exception e) {
                    lastError = e;
                    closeSendConnection();
                    pause(RECONNECT_NANOS);
                }
            }
        } finally {
            closeSendConnection();
        }
    }

    private void sendOnConnection() throws SQLException {
        if (sendConnection == null) {
            sendConnection = connector.connect();
            sendConnection.setAutoCommit(true);
        }
        try (PreparedStatement statement = sendConnection.prepareStatement("SELECT pg_notify(?, '')")) {
            statement.setString(1, channel);
            statement.execute();
        }
    }

    private void closeSendConnection() {
        if (sendConnection != null) {
            try {
                sendConnection.close();
            } catch (SQLException e) {
                // Broken already.
            }
            sendConnection = null;
        }
    }

    // ------------------------------------------------------------------ listening

    private void listenLoop() {
        boolean reconnected = false;
        while (!closing) {
            try (Connection connection = connector.connect()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                setListening(true);
                if (reconnected) {
                    // Notifications sent while we were not listening are lost: wake everyone once.
                    wakeListeners();
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closing) {
                    PGNotification[] notifications = pg.getNotifications(LISTEN_POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        wakeListeners();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                lastError = e;
                reconnected = true;
            } finally {
                setListening(false);
            }
            if (!closing) {
                pause(RECONNECT_NANOS);
            }
        }
    }

    private void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }
}
