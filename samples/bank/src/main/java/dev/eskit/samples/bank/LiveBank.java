package dev.eskit.samples.bank;

import com.sun.net.httpserver.HttpExchange;
import dev.eskit.EskitException;
import dev.eskit.Retry;
import dev.eskit.change.ChangeKeys;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.CommandBus;
import dev.eskit.http.HealthCheck;
import dev.eskit.http.LiveHttpServer;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The bank with a live page: balances in the browser that update as commands run, without reloading. The balances
 * projection announces each change to a {@link ChangeNotifier}; {@link LiveHttpServer} streams the changes to the page
 * as Server-Sent Events, and the page's script re-reads the balances when one arrives.
 *
 * <pre>
 * mvn -q -pl samples/bank -am compile exec:java@live           # then open http://127.0.0.1:8080/
 * </pre>
 *
 * <p>Routes: {@code /} the page, {@code /changes?topic=balances} the change stream, {@code /balances} the read model
 * as JSON, {@code POST /deposit} and {@code POST /withdraw} ({@code account}, {@code cents}) run commands,
 * {@code /health} the projection's health.
 */
public final class LiveBank implements AutoCloseable {

    private final JdbiEventStore store;
    private final CommandBus bus;
    private final Balances balances = new Balances();
    private final Subscription projection;
    private final LiveHttpServer server;

    private LiveBank(String url, int port) {
        if (url.startsWith("jdbc:sqlite:")) {
            createParentDirectory(Path.of(url.substring("jdbc:sqlite:".length())));
        }
        store = JdbiEventStore.builder(JsonEventCodec.create(EventTypes.of(new BankEventTypes()))).url(url).build();
        try {
            bus = CommandBus.builder(store).register(AccountDecider.routes()).retry(Retry.attempts(3)).build();
            ChangeNotifier changes = ChangeNotifier.create();
            // The read model lives in memory: rebuilt from the start of the log at every start.
            projection = changes.announcing(Projector.of(new BalancesHandlers(balances)), ChangeKeys.streamId())
                    .subscription(store, CheckpointStore.inMemory())
                    .build()
                    .start();
            server = LiveHttpServer.builder(changes)
                    .port(port)
                    .health(HealthCheck.builder().subscription(projection).maxLagEvents(1_000).build())
                    .route("/balances", this::balancesJson)
                    .route("/deposit", exchange -> command(exchange, true))
                    .route("/withdraw", exchange -> command(exchange, false))
                    .route("/", LiveBank::page)
                    .start();
            bus.send(new OpenAccount("alice", "Alice"));
            bus.send(new OpenAccount("bob", "Bob"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the bank on the store at {@code url} ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}) with its
     * page on loopback port {@code port} (0: any free port). Accounts alice and bob are opened if they are not.
     */
    public static LiveBank start(String url, int port) {
        return new LiveBank(url, port);
    }

    /** The page's address. */
    public URI uri() {
        return server.uri().resolve("/");
    }

    /** The command bus, to run commands as the page's forms do. */
    public CommandBus commands() {
        return bus;
    }

    /** The balances read model. */
    public Balances balances() {
        return balances;
    }

    /** The balances projection's subscription. */
    public Subscription projection() {
        return projection;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (projection != null) {
            projection.close();
        }
        store.close();
    }

    /**
     * Runs the live bank until the process is stopped.
     *
     * @param args optionally a JDBC URL ({@code jdbc:sqlite:target/live-bank.db} by default), then a port (8080)
     */
    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        String url = args.length > 0 ? args[0] : "jdbc:sqlite:target/live-bank.db";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        LiveBank bank = start(url, port);
        Runtime.getRuntime().addShutdownHook(new Thread(bank::close));
        System.out.println("live bank on " + url + ": open " + bank.uri() + " (Ctrl-C to stop)");
        new CountDownLatch(1).await();
    }

    // ------------------------------------------------------------------ routes

    private void balancesJson(HttpExchange exchange) throws IOException {
        StringBuilder json = new StringBuilder("{\"position\":\"").append(projection.position().toToken())
                .append("\",\"balances\":{");
        new TreeMap<>(balances.all()).forEach((account, cents) -> json.append(json.charAt(json.length() - 1) == '{'
                ? "" : ",").append('"').append(account.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\":").append(cents));
        send(exchange, 200, "application/json", json.append("}}").toString());
    }

    private void command(HttpExchange exchange, boolean deposit) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, "text/plain", "Use POST.");
            return;
        }
        Map<String, String> form = form(exchange);
        String account = form.getOrDefault("account", "");
        long cents;
        try {
            cents = Long.parseLong(form.getOrDefault("cents", ""));
        } catch (NumberFormatException e) {
            send(exchange, 400, "text/plain", "Give cents as a whole number, such as cents=1250.");
            return;
        }
        try {
            bus.send(deposit ? new Deposit(account, cents) : new Withdraw(account, cents, "web"));
            send(exchange, 200, "text/plain", "ok");
        } catch (EskitException | InsufficientFundsException | AccountRejectedException e) {
            send(exchange, 409, "text/plain", e.getMessage());
        }
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String query = exchange.getRequestURI().getRawQuery();
        String all = (query == null ? "" : query) + "&" + body;
        Map<String, String> form = new HashMap<>();
        for (String pair : all.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void page(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String resource = switch (path) {
            case "/", "/index.html" -> "index.html";
            case "/live.js" -> "live.js";
            default -> null;
        };
        if (resource == null) {
            send(exchange, 404, "text/plain", "Not found: " + path);
            return;
        }
        try (InputStream in = LiveBank.class.getResourceAsStream("live/" + resource)) {
            if (in == null) {
                send(exchange, 500, "text/plain", "The page's resource " + resource + " is missing.");
                return;
            }
            String type = resource.endsWith(".js") ? "text/javascript" : "text/html";
            send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }

    private static void createParentDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the directory " + parent + ": " + e.getMessage(), e);
        }
    }
}
