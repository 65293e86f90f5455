package dev.eskit.jdbi.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.jdbi.StoreConfigurationException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Carries read-model changes between application nodes over PostgreSQL LISTEN/NOTIFY, so that a client connected to
 * node B sees a change that a projection made on node A. Each node runs one relay on the same channel with its own
 * {@link ChangeNotifier}: the relay sends every change published on its node as one {@code NOTIFY}, and hands the
 * changes of other nodes to its notifier's {@link ChangeNotifier#receive receive}.
 *
 * <pre>{@code
 * ChangeNotifier changes = ChangeNotifier.create();
 * try (PostgresChangeRelay relay = PostgresChangeRelay.start(url, "eskit_changes", changes)) { ... }
 * }</pre>
 *
 * <p>Limits, and what happens at them: a NOTIFY payload holds less than 8,000 bytes, so a change whose keys do not fit
 * is sent as a change of the whole read model (every subscriber of the read model reloads). Changes are sent in the
 * order they were published, from a bounded queue; when the queue overflows (the database is slow or down), the
 * queued changes are dropped and one resync of every read model is sent instead. A node whose listening connection
 * broke may have missed changes, so after it reconnects its subscribers get a {@link dev.eskit.change.Resync}.
 * NOTIFY is delivered at commit and only to sessions listening at that moment; this relay sends outside any
 * transaction, right after the projection's own commit. LISTEN needs a direct connection, not a transaction-pooling
 * proxy; the relay holds two (one listens, one sends).
 */
public final class PostgresChangeRelay implements AutoCloseable {

    /** The largest payload it sends, in UTF-8 bytes (PostgreSQL refuses 8,000 or more). */
    public static final int MAX_PAYLOAD_BYTES = 7_900;

    /** Changes queued for sending before the queue overflows into one resync. */
    public static final int QUEUE_SIZE = 10_000;

    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final JsonFactory JSON = new JsonFactory();
    private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int LISTEN_POLL_MILLIS = 250;

    /** Opens a direct connection. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final String channel;
    private final ChangeNotifier notifier;
    private final Connector connector;
    private final String node = UUID.randomUUID().toString().substring(0, 12);
    private final BlockingQueue<Change> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final Object listeningChanged = new Object();
    private final Thread senderThread;
    private final Thread listenerThread;
    private ChangeNotifier.Registration registration;
    private volatile boolean overflowed;
    private volatile boolean listening;
    private volatile boolean closing;
    private volatile Throwable lastError;

    private PostgresChangeRelay(String channel, ChangeNotifier notifier, Connector connector) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new StoreConfigurationException("Change relay channel \"" + channel + "\" is not allowed. Use 1 to"
                    + " 63 lower-case letters, digits and underscores, starting with a letter or underscore, such as"
                    + " \"eskit_changes\".");
        }
        this.channel = channel;
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.connector = connector;
        this.senderThread = new Thread(this::sendLoop, "eskit-change-relay-send-" + channel);
        this.listenerThread = new Thread(this::listenLoop, "eskit-change-relay-listen-" + channel);
        senderThread.setDaemon(true);
        listenerThread.setDaemon(true);
    }

    /** A relay on {@code channel} for {@code notifier}, with direct connections to {@code url}; it starts at once. */
    public static PostgresChangeRelay start(String url, String channel, ChangeNotifier notifier) {
        Objects.requireNonNull(url, "url");
        return new PostgresChangeRelay(channel, notifier, () -> DriverManager.getConnection(url)).begin();
    }

    /** A relay on {@code channel} for {@code notifier}, with connections from {@code dataSource} (direct, not pooled). */
    public static PostgresChangeRelay start(DataSource dataSource, String channel, ChangeNotifier notifier) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new PostgresChangeRelay(channel, notifier, dataSource::getConnection).begin();
    }

    private PostgresChangeRelay begin() {
        registration = notifier.onPublish(this::enqueue);
        senderThread.start();
        listenerThread.start();
        return this;
    }

    /** The channel's name. */
    public String channel() {
        return channel;
    }

    /** This node's id in the payloads (its own notifications are ignored when they come back). */
    public String nodeId() {
        return node;
    }

    /** How many notifications it has sent. */
    public long sent() {
        return sent.get();
    }

    /** How many notifications of other nodes it has received. */
    public long received() {
        return received.get();
    }

    /** The last connection or send failure, if any. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Waits until it LISTENs on the channel (changes other nodes send before that do not reach it).
     *
     * @return whether it listens; false when {@code timeout} passed first
     */
    public boolean awaitListening(Duration timeout) throws InterruptedException {
        long deadline = dev.eskit.internal.Deadlines.after(timeout);
        synchronized (listeningChanged) {
            while (!listening) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(listeningChanged, left);
            }
            return true;
        }
    }

    /** Stops relaying, sends what is queued if the connection allows, and closes both connections. */
    @Override
    public void close() {
        if (registration != null) {
            registration.close();
        }
        closing = true;
        senderThread.interrupt();
        join(senderThread);
        join(listenerThread);
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Change change) {
        if (!queue.offer(change)) {
            overflowed = true;
            queue.clear();
        }
    }

    // ------------------------------------------------------------------ payloads

    /** The payload of {@code change}, or of a whole-model change when the keys do not fit. */
    String payload(Change change) {
        String full = encode(change.readModel(), change.keys(), change.position(), false);
        if (full.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
            return full;
        }
        String whole = encode(change.readModel(), List.of(), change.position(), false);
        if (whole.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
            return whole;
        }
        return encode(null, List.of(), change.position(), true);
    }

    private String encode(String readModel, Iterable<String> keys, Position position, boolean resync) {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("n", node);
            if (resync) {
                json.writeBooleanField("r", true);
            } else {
                json.writeStringField("m", readModel);
                json.writeStringField("p", position.toToken());
                json.writeArrayFieldStart("k");
                for (String key : keys) {
                    json.writeString(key);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("Encoding a change failed: " + e, e);
        }
        return text.toString();
    }

    /** Hands a received payload to the notifier, unless this node sent it; bad payloads are ignored. */
    void deliver(String payload) {
        String from = null;
        String readModel = null;
        String position = null;
        boolean resync = false;
        List<String> keys = new ArrayList<>();
        try (JsonParser json = JSON.createParser(payload)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "n" -> from = json.getText();
                    case "m" -> readModel = json.getText();
                    case "p" -> position = json.getText();
                    case "r" -> resync = value == JsonToken.VALUE_TRUE;
                    case "k" -> {
                        while (json.nextToken() == JsonToken.VALUE_STRING) {
                            keys.add(json.getText());
                        }
                    }
                    default -> json.skipChildren();
                }
            }
        } catch (IOException e) {
            lastError = e;
            return;
        }
        if (from == null || from.equals(node)) {
            return;
        }
        received.incrementAndGet();
        try {
            if (resync) {
                notifier.resync(null, "relay");
            } else if (readModel != null && position != null) {
                notifier.receive(Change.of(readModel, keys, Position.parse(position)));
            }
        } catch (RuntimeException e) {
            // Another node's bad payload must not stop this listener.
            lastError = e;
        }
    }

    // ------------------------------------------------------------------ sending

    private void sendLoop() {
        Connection connection = null;
        try {
            while (!closing || !queue.isEmpty()) {
                String payload;
                if (overflowed) {
                    overflowed = false;
                    payload = encode(null, List.of(), Position.START, true);
                } else {
                    Change next;
                    try {
                        next = closing ? queue.poll() : queue.poll(LISTEN_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        continue;
                    }
                    if (next == null) {
                        continue;
                    }
                    payload = payload(next);
                }
                try {
                    if (connection == null) {
                        connection = connector.connect();
                        connection.setAutoCommit(true);
                    }
                    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                        statement.setString(1, channel);
                        statement.setString(2, payload);
                        statement.execute();
                    }
                    sent.incrementAndGet();
                } catch (SQLException | RuntimeException e) {
                    // This change is lost to other nodes: tell them to resync once the connection is back.
                    lastError = e;
                    overflowed = true;
                    connection = closeQuietly(connection);
                    if (closing) {
                        return;
                    }
                    pause(RECONNECT_NANOS);
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Broken already.
            }
        }
        return null;
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
                    // Changes sent while this node was not listening are lost: its subscribers reload.
                    notifier.resync(null, "relay");
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closing) {
                    PGNotification[] notifications = pg.getNotifications(LISTEN_POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getParameter());
                        }
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

    private void setListening(boolean value) {
        synchronized (listeningChanged) {
            listening = value;
            listeningChanged.notifyAll();
        }
    }

    private void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(this, left);
        }
    }
}
