package dev.eskit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.eskit.InvalidInputException;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves read-model changes as Server-Sent Events and the subscriptions' health on the JDK's built-in HTTP server
 * ({@code com.sun.net.httpserver}), without a web framework:
 *
 * <pre>{@code
 * try (LiveHttpServer server = LiveHttpServer.builder(notifier)
 *         .port(8080)
 *         .health(HealthCheck.builder().subscription(balances).maxLagEvents(500).build())
 *         .route("/", exchange -> ...)           // the application's own pages, if any
 *         .start()) {
 *     // GET /changes?topic=balances:alice   text/event-stream (see ChangeEventStream)
 *     // GET /health                         200 or 503 with JSON (see HealthCheck)
 * }
 * }</pre>
 *
 * <p>Each open stream holds one thread of the server's pool; {@link Builder#maxConnections} bounds them (more are
 * answered with 503 and {@code Retry-After}). Other requests share {@link Builder#requestThreads} more threads, so the
 * server never runs more than {@code maxConnections + requestThreads} request threads; a request whose headers do
 * not arrive within {@link Builder#requestHeaderTimeout} is closed. The change stream and health paths answer only
 * when matched exactly; routes added with {@link Builder#route} match by prefix, as the JDK server's contexts do. It
 * binds to the loopback interface unless told otherwise.
 */
public final class LiveHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final RequestThreads executor;
    private final ChangeEventStream changes;

    private LiveHttpServer(HttpServer server, RequestThreads executor, ChangeEventStream changes) {
        this.server = server;
        this.executor = executor;
        this.changes = changes;
    }

    /** A builder for a server of {@code notifier}'s changes. */
    public static Builder builder(ChangeNotifier notifier) {
        return new Builder(notifier);
    }

    /** The port it listens on (the one chosen by the system when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Its base address, such as {@code http://127.0.0.1:8080}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    /** The change streams it serves (for their number of open connections). */
    public ChangeEventStream changes() {
        return changes;
    }

    /** Ends every open stream, stops listening and stops its threads. */
    @Override
    public void close() {
        changes.close();
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * {@code handler} at exactly {@code path}; another path under it goes to the route whose path is its longest
     * prefix, as the JDK server would have chosen without this context, or gets a 404.
     */
    private static HttpHandler exactly(String path, HttpHandler handler, Map<String, HttpHandler> routes,
            RequestThreads threads) {
        return exchange -> {
            threads.headersRead();
            String requested = exchange.getRequestURI().getPath();
            if (path.equals(requested)) {
                handler.handle(exchange);
                return;
            }
            String best = null;
            for (String route : routes.keySet()) {
                if (requested.startsWith(route) && (best == null || route.length() > best.length())) {
                    best = route;
                }
            }
            if (best != null) {
                routes.get(best).handle(exchange);
                return;
            }
            try (exchange) {
                sendText(exchange, 404, "Nothing is served at " + requested + ". Did you mean " + path + "?");
            }
        };
    }

    private static void handleChanges(ChangeEventStream changes, HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                sendText(exchange, 405, "Use GET.");
                return;
            }
            List<Topic> topics;
            ChangeEventStream.Connection connection;
            try {
                topics = ChangeEventStream.topics(exchange.getRequestURI().getRawQuery());
                connection = changes.connect(topics, exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            } catch (InvalidInputException e) {
                sendText(exchange, 400, e.getMessage());
                return;
            } catch (ConnectionLimitException | IllegalStateException e) {
                exchange.getResponseHeaders().set("Retry-After", "5");
                sendText(exchange, 503, e.getMessage());
                return;
            }
            try (connection) {
                exchange.getResponseHeaders().set("Content-Type", ChangeEventStream.CONTENT_TYPE);
                exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
                exchange.sendResponseHeaders(200, 0);
                connection.writeTo(exchange.getResponseBody());
            }
        }
        // An IOException (the client went away, or was dropped by the write timeout, which closed the channel) goes
        // to the JDK server, which then closes the connection and forgets it.
    }

    private static void handleHealth(HealthCheck health, HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                sendText(exchange, 405, "Use GET.");
                return;
            }
            HealthCheck.Report report = health.check();
            byte[] body = report.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(report.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Options for a {@link LiveHttpServer}. */
    public static final class Builder {
        private final ChangeEventStream.Builder stream;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private String changesPath = "/changes";
        private String healthPath = "/health";
        private HealthCheck health;
        private int maxConnections = 1000;
        private int requestThreads = 16;
        private Duration requestHeaderTimeout = Duration.ofSeconds(10);
        private final Map<String, HttpHandler> routes = new LinkedHashMap<>();

        private Builder(ChangeNotifier notifier) {
            this.stream = ChangeEventStream.builder(notifier);
        }

        /** Listens on {@code value} (loopback, port chosen by the system, by default). */
        public Builder address(InetSocketAddress value) {
            address = Objects.requireNonNull(value, "address");
            return this;
        }

        /** Listens on the loopback interface at {@code value} (0: any free port). */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new InvalidInputException("Port " + value + " is out of range; use 0 to 65535.");
            }
            address = new InetSocketAddress(address.getAddress(), value);
            return this;
        }

        /** The path of the change streams ({@code /changes} by default). */
        public Builder changesPath(String value) {
            changesPath = checkPath(value);
            return this;
        }

        /** Serves {@code check} at the health path ({@code /health} by default, or {@code path}). */
        public Builder health(HealthCheck check) {
            health = Objects.requireNonNull(check, "check");
            return this;
        }

        /** The path of the health endpoint ({@code /health} by default). */
        public Builder healthPath(String value) {
            healthPath = checkPath(value);
            return this;
        }

        /** How long a quiet stream waits before a heartbeat (15 s by default). */
        public Builder heartbeat(Duration value) {
            stream.heartbeat(value);
            return this;
        }

        /**
         * How long one write to a stream's client may take before the client is dropped and its socket closed (10 s by
         * default; see {@link ChangeEventStream.Builder#writeTimeout}).
         */
        public Builder writeTimeout(Duration value) {
            stream.writeTimeout(value);
            return this;
        }

        /** Signals buffered per client before it gets a resync. */
        public Builder bufferSize(int value) {
            stream.bufferSize(value);
            return this;
        }

        /** The most change streams open at once (1,000 by default). */
        public Builder maxConnections(int value) {
            stream.maxConnections(value);
            maxConnections = value;
            return this;
        }

        /**
         * Threads for requests other than open change streams (16 by default): health checks, refused streams, the
         * application's routes, and requests whose headers are still arriving. The server runs at most
         * {@code maxConnections + requestThreads} request threads; when all are busy, up to {@code requestThreads}
         * more requests wait, and further connections are closed at once (clients retry).
         */
        public Builder requestThreads(int value) {
            if (value < 1) {
                throw new InvalidInputException("requestThreads must be at least 1, not " + value + "; it is the"
                        + " number of threads left for health checks and routes besides the change streams.");
            }
            requestThreads = value;
            return this;
        }

        /**
         * How long a client may take to send its request line and headers (10 s by default); then its connection is
         * closed, so that clients which never finish their headers cannot hold the server's threads.
         */
        public Builder requestHeaderTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException("The request header timeout must be positive, not " + value + ".");
            }
            requestHeaderTimeout = value;
            return this;
        }

        /** Serves {@code handler} under {@code path} too (the application's pages and commands). */
        public Builder route(String path, HttpHandler handler) {
            routes.put(checkPath(path), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        private static String checkPath(String value) {
            if (value == null || !value.startsWith("/")) {
                throw new InvalidInputException("An HTTP path starts with \"/\"; got \"" + value + "\".");
            }
            return value;
        }

        /**
         * Binds and starts the server.
         *
         * @throws UncheckedIOException when the address cannot be bound
         */
        public LiveHttpServer start() {
            ChangeEventStream changes = stream.build();
            int threads = (int) Math.min(Integer.MAX_VALUE, (long) maxConnections + requestThreads);
            RequestThreads executor = new RequestThreads(threads, requestThreads, requestHeaderTimeout);
            HttpServer server;
            try {
                server = HttpServer.create(address, Math.max(50, maxConnections));
            } catch (IOException e) {
                executor.shutdownNow();
                throw new UncheckedIOException("Cannot listen on " + address + ": " + e.getMessage(), e);
            }
            server.setExecutor(executor);
            Map<String, HttpHandler> routed = Map.copyOf(routes);
            server.createContext(changesPath, exactly(changesPath, exchange -> handleChanges(changes, exchange),
                    routed, executor));
            if (health != null) {
                HealthCheck check = health;
                server.createContext(healthPath, exactly(healthPath, exchange -> handleHealth(check, exchange),
                        routed, executor));
            }
            routed.forEach((path, handler) -> server.createContext(path, exchange -> {
                executor.headersRead();
                handler.handle(exchange);
            }));
            server.start();
            return new LiveHttpServer(server, executor, changes);
        }
    }
}
