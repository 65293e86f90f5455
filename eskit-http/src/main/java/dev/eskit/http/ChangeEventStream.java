package dev.eskit.http;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.ChangeSignal;
import dev.eskit.change.ChangeSubscription;
import dev.eskit.change.Resync;
import dev.eskit.change.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams read-model changes to HTTP clients as Server-Sent Events; the plain handler behind {@link LiveHttpServer},
 * usable from any server that gives a request's query and {@code Last-Event-ID} header and a response
 * {@link OutputStream}:
 *
 * <pre>{@code
 * ChangeEventStream changes = ChangeEventStream.builder(notifier).maxConnections(500).build();
 * // in a request handler:
 * try (ChangeEventStream.Connection c = changes.connect(ChangeEventStream.topics(query), lastEventIdHeader)) {
 *     response.setStatus(200);
 *     response.setContentType(ChangeEventStream.CONTENT_TYPE);
 *     c.writeTo(response.getOutputStream());   // blocks until the client leaves or the stream is closed
 * } catch (ConnectionLimitException e) {
 *     response.sendError(503);
 * }
 * }</pre>
 *
 * <p>Each change is an event {@code change} with {@code id: <position>} and one line of JSON data; a
 * {@code resync} event (no id: the client's last id stays where it was) tells the client to reload; a comment
 * line is sent as a heartbeat when nothing else was sent for the heartbeat interval (which is also how a vanished
 * client is noticed). A write that does not complete within the write timeout (a client that stopped reading: its
 * TCP window is full) drops the client: its slot is freed and the writing thread is interrupted, which closes the
 * socket of a channel-based stream such as the JDK server's. See {@code docs/live-views.md}.
 */
public final class ChangeEventStream implements AutoCloseable {

    /** The response's content type. */
    public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    /** The most topics one stream may watch. */
    public static final int MAX_TOPICS = 100;

    private final ChangeNotifier notifier;
    private final Duration heartbeat;
    private final int bufferSize;
    private final int maxConnections;
    private final Duration retry;
    private final long writeTimeoutNanos;
    /** Ends writes that outlive the write timeout; one daemon thread, started with the first connection. */
    private ScheduledThreadPoolExecutor deadlines;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ChangeEventStream(Builder builder) {
        this.notifier = builder.notifier;
        this.heartbeat = builder.heartbeat;
        this.bufferSize = builder.bufferSize;
        this.maxConnections = builder.maxConnections;
        this.retry = builder.retry;
        this.writeTimeoutNanos = builder.writeTimeout.toNanos();
    }

    /** A builder for streams of {@code notifier}'s changes. */
    public static Builder builder(ChangeNotifier notifier) {
        return new Builder(notifier);
    }

    /**
     * The topics of a query string such as {@code topic=balances:alice&topic=orders} (other parameters are ignored).
     *
     * @throws InvalidInputException when there is no topic, more than {@link #MAX_TOPICS}, or a bad one
     */
    public static List<Topic> topics(String query) {
        List<Topic> topics = new ArrayList<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (name.equals("topic") && eq >= 0) {
                    topics.add(Topic.parse(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
                }
            }
        }
        if (topics.isEmpty()) {
            throw new InvalidInputException("Name at least one topic in the query, such as"
                    + " ?topic=balances or ?topic=balances:alice.");
        }
        if (topics.size() > MAX_TOPICS) {
            throw new InvalidInputException("A change stream may watch at most " + MAX_TOPICS + " topics, not "
                    + topics.size() + ". Watch the whole read model (?topic=balances) instead of many keys.");
        }
        return topics;
    }

    /**
     * Opens a stream of {@code topics}, resuming after {@code lastEventId} (the {@code Last-Event-ID} header; null or
     * empty for none; a value that is not a position makes the stream start with a resync).
     *
     * @throws ConnectionLimitException when {@code maxConnections} streams are open; nothing is subscribed
     * @throws InvalidInputException    when {@code topics} is empty
     * @throws IllegalStateException    when the stream is closed
     */
    public Connection connect(Collection<Topic> topics, String lastEventId) {
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new InvalidInputException("Name at least one topic, such as Topic.of(\"balances\").");
        }
        if (closed) {
            throw new IllegalStateException("The change stream is closed.");
        }
        if (!admit()) {
            throw new ConnectionLimitException(maxConnections);
        }
        Connection connection;
        try {
            Position after = null;
            boolean unreadable = false;
            if (lastEventId != null && !lastEventId.isBlank()) {
                try {
                    after = Position.parse(lastEventId.trim());
                } catch (InvalidInputException e) {
                    unreadable = true;
                }
            }
            connection = new Connection(notifier.subscribe(topics, after, bufferSize), unreadable);
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        connections.add(connection);
        if (closed) {
            // close() ran meanwhile and may have missed it.
            connection.close();
            throw new IllegalStateException("The change stream is closed.");
        }
        return connection;
    }

    /**
     * Counts one more open stream unless {@code maxConnections} are open: the count never goes above the bound, not
     * even for a moment (an increment first and a decrement on refusal let {@link #openConnections} report more).
     */
    private boolean admit() {
        while (true) {
            int now = open.get();
            if (now >= maxConnections) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** How many streams are open (never more than {@link #maxConnections}). */
    public int openConnections() {
        return open.get();
    }

    /** The most streams it keeps open at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Ends every open stream (their {@link Connection#writeTo} calls return) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        connections.forEach(Connection::close);
        synchronized (this) {
            if (deadlines != null) {
                deadlines.shutdownNow();
            }
        }
    }

    private synchronized ScheduledThreadPoolExecutor deadlines() {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        if (deadlines == null) {
            deadlines = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "eskit-sse-write-deadline");
                thread.setDaemon(true);
                return thread;
            });
            deadlines.setRemoveOnCancelPolicy(true);
        }
        return deadlines;
    }

    /** The text of one signal as an SSE event. */
    static String format(ChangeSignal signal) {
        StringBuilder event = new StringBuilder(128);
        if (signal instanceof Change change) {
            event.append("id: ").append(change.position().toToken()).append('\n');
            event.append("event: change\ndata: {\"readModel\":").append(Json.string(change.readModel()))
                    .append(",\"keys\":[");
            boolean first = true;
            for (String key : change.keys()) {
                event.append(first ? "" : ",").append(Json.string(key));
                first = false;
            }
            event.append("],\"position\":\"").append(change.position().toToken()).append("\"}\n\n");
        } else {
            Resync resync = (Resync) signal;
            event.append("event: resync\ndata: {\"reason\":").append(Json.string(resync.reason()))
                    .append(",\"position\":\"").append(resync.position().toToken()).append("\"}\n\n");
        }
        return event.toString();
    }

    /** One client's stream: subscribed when made, written by {@link #writeTo}, ended by {@link #close}. */
    public final class Connection implements AutoCloseable {
        private final ChangeSubscription subscription;
        private final boolean startWithResync;
        private final AtomicInteger done = new AtomicInteger();
        /** Guards {@code writer}, {@code writes} and {@code stuck} between the writing thread and its deadline. */
        private final Object writeLock = new Object();
        private Thread writer;
        private long writes;
        private boolean stuck;

        private Connection(ChangeSubscription subscription, boolean startWithResync) {
            this.subscription = subscription;
            this.startWithResync = startWithResync;
        }

        /**
         * Writes the stream to {@code out} (flushing after every burst of events) until the client goes away, the
         * connection or its {@link ChangeEventStream} is closed, or the thread is interrupted; then closes the
         * connection. A client that went away shows as a failed write, at the latest at the next heartbeat. A write
         * (with its flush) that takes longer than the write timeout closes the connection, freeing its slot, and
         * interrupts this thread to end the write (which closes the socket of an interruptible channel); the thread
         * is not left interrupted when this returns.
         */
        public void writeTo(OutputStream out) {
            try {
                write(out, "retry: " + retry.toMillis() + "\n: eskit changes\n\n");
                if (startWithResync) {
                    write(out, format(new Resync(notifier.newest(), "resume")));
                }
                while (!closed && !subscription.isClosed()) {
                    Optional<ChangeSignal> next = subscription.poll(heartbeat);
                    if (next.isEmpty()) {
                        if (!subscription.isClosed()) {
                            write(out, ": heartbeat\n\n");
                        }
                        continue;
                    }
                    StringBuilder burst = new StringBuilder(format(next.get()));
                    for (int i = 0; i < 64; i++) {
                        Optional<ChangeSignal> more = subscription.poll();
                        if (more.isEmpty()) {
                            break;
                        }
                        burst.append(format(more.get()));
                    }
                    write(out, burst.toString());
                }
            } catch (IOException e) {
                // The client went away, or stopped reading.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        private void write(OutputStream out, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            long write;
            synchronized (writeLock) {
                writer = Thread.currentThread();
                write = ++writes;
            }
            ScheduledFuture<?> deadline;
            try {
                deadline = deadlines().schedule(() -> abort(write), writeTimeoutNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                synchronized (writeLock) {
                    writer = null;
                }
                throw new IOException("The change stream is closed.", e);
            }
            IOException failure = null;
            boolean dropped;
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                failure = e;
            } finally {
                deadline.cancel(false);
                synchronized (writeLock) {
                    writer = null;
                    dropped = stuck;
                    if (dropped) {
                        // The interrupt was ours (abort delivers it under this lock): clear it for the thread's owner.
                        Thread.interrupted();
                    }
                }
            }
            if (dropped) {
                throw new IOException("The client read nothing for " + Duration.ofNanos(writeTimeoutNanos)
                        + " (the write timeout): dropped.", failure);
            }
            if (failure != null) {
                throw failure;
            }
        }

        /** The deadline of write number {@code write}: if it still runs, drop the client and interrupt the writer. */
        private void abort(long write) {
            synchronized (writeLock) {
                if (writer == null || writes != write || stuck) {
                    return;
                }
                stuck = true;
                writer.interrupt();
            }
            close();
        }

        /** The topics it streams. */
        public List<Topic> topics() {
            return subscription.topics();
        }

        /** Ends the stream and frees its slot; closing twice is harmless. */
        @Override
        public void close() {
            subscription.close();
            if (done.getAndIncrement() == 0) {
                connections.remove(this);
                open.decrementAndGet();
            }
        }
    }

    /** Options for a {@link ChangeEventStream}. */
    public static final class Builder {
        private final ChangeNotifier notifier;
        private Duration heartbeat = Duration.ofSeconds(15);
        private int bufferSize = ChangeNotifier.DEFAULT_BUFFER;
        private int maxConnections = 1000;
        private Duration retry = Duration.ofSeconds(2);
        private Duration writeTimeout = Duration.ofSeconds(10);

        private Builder(ChangeNotifier notifier) {
            this.notifier = Objects.requireNonNull(notifier, "notifier");
        }

        /** How long a quiet stream waits before it sends a heartbeat comment (15 s by default). */
        public Builder heartbeat(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException("The heartbeat interval must be positive, not " + value + ".");
            }
            heartbeat = value;
            return this;
        }

        /** Signals buffered per client before it gets a resync ({@link ChangeNotifier#DEFAULT_BUFFER} by default). */
        public Builder bufferSize(int value) {
            if (value < 1) {
                throw new InvalidInputException("A client's buffer must hold at least 1 signal, not " + value + ".");
            }
            bufferSize = value;
            return this;
        }

        /** The most streams open at once (1,000 by default); more are refused with a {@link ConnectionLimitException}. */
        public Builder maxConnections(int value) {
            if (value < 1) {
                throw new InvalidInputException("maxConnections must be at least 1, not " + value + ".");
            }
            maxConnections = value;
            return this;
        }

        /** The reconnection delay the stream asks browsers to use (SSE {@code retry:}; 2 s by default). */
        public Builder retry(Duration value) {
            if (value.isNegative()) {
                throw new InvalidInputException("The retry delay must not be negative, not " + value + ".");
            }
            retry = value;
            return this;
        }

        /**
         * How long one write to a client (a burst of events or a heartbeat, with its flush) may take before the client
         * is dropped (10 s by default). A write blocks when the client stops reading and its TCP window is full; the
         * dropped client's slot is freed and its writing thread interrupted (see {@link Connection#writeTo}).
         */
        public Builder writeTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException("The write timeout must be positive, not " + value + "; it bounds how"
                        + " long a client that stopped reading keeps its slot.");
            }
            writeTimeout = value;
            return this;
        }

        /** The stream. */
        public ChangeEventStream build() {
            return new ChangeEventStream(this);
        }
    }
}
