package dev.eskit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SSE endpoint over loopback, read with java.net.http. */
class LiveHttpServerTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    final ChangeNotifier notifier = ChangeNotifier.create(64, 100);
    LiveHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    LiveHttpServer start(LiveHttpServer.Builder builder) {
        server = builder.start();
        return server;
    }

    URI changes(String query) {
        return server.uri().resolve("/changes?" + query);
    }

    static Change change(long position, String key) {
        return Change.of("balances", List.of(key), Position.of(position));
    }

    void awaitSubscribers(int count) {
        Await.until(count + " subscribers", WAIT, () -> notifier.subscribers() == count);
    }

    @Test
    void aStreamCarriesTheChangesOfItsTopicsWithPositionsAsIds() throws Exception {
        start(LiveHttpServer.builder(notifier));
        try (SseClient alice = SseClient.open(changes("topic=balances:alice"), null)) {
            assertEquals(200, alice.status());
            assertEquals("text/event-stream; charset=utf-8",
                    alice.response.headers().firstValue("Content-Type").orElseThrow());
            awaitSubscribers(1);
            notifier.publish(change(1, "alice"));
            notifier.publish(change(2, "bob"));
            notifier.publish(change(3, "alice"));
            SseClient.Event first = alice.next(WAIT);
            assertEquals(new SseClient.Event("0.1", "change",
                    "{\"readModel\":\"balances\",\"keys\":[\"alice\"],\"position\":\"0.1\"}", null), first);
            assertEquals("0.3", alice.next(WAIT).id());
        }
    }

    @Test
    void aReconnectingClientResumesAfterItsLastEventId() throws Exception {
        start(LiveHttpServer.builder(notifier));
        for (int i = 1; i <= 4; i++) {
            notifier.publish(change(i, "k" + i));
        }
        try (SseClient resumed = SseClient.open(changes("topic=balances"), "0.2")) {
            assertEquals("0.3", resumed.next(WAIT).id());
            assertEquals("0.4", resumed.next(WAIT).id());
        }
        // A position the server cannot vouch for (before its history) starts with a resync.
        try (SseClient stale = SseClient.open(changes("topic=orders"), "0.2")) {
            SseClient.Event resync = stale.next(WAIT);
            assertEquals("resync", resync.event());
            assertEquals(null, resync.id());
            assertTrue(resync.data().contains("\"reason\":\"resume\""), resync.data());
        }
    }

    @Test
    void quietStreamsGetHeartbeatsAndADisconnectedClientFreesItsSlot() throws Exception {
        start(LiveHttpServer.builder(notifier).heartbeat(Duration.ofMillis(50)));
        SseClient client = SseClient.open(changes("topic=balances"), null);
        assertNotNull(client.nextComment("heartbeat", WAIT));
        assertEquals(1, server.changes().openConnections());
        client.close();
        // The next heartbeat's write fails: the server closes the stream and its subscription.
        Await.until("the stream to close", WAIT, () -> server.changes().openConnections() == 0);
        awaitSubscribers(0);
    }

    /** A raw client that sends {@code request} and then reads nothing, with a small receive window. */
    Socket stalledClient(String request) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(server.uri().getHost(), server.port()), 10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** A change of read model balances large enough (some 2 KB as an event) to fill a TCP window quickly. */
    static Change bigChange(long position) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add("key-" + position + "-" + i);
        }
        return Change.of("balances", keys, Position.of(position));
    }

    static boolean anyThreadIn(String method) {
        return Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream)
                .anyMatch(frame -> frame.getMethodName().equals(method)
                        && frame.getClassName().equals(ChangeEventStream.Connection.class.getName()));
    }

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheWriteTimeoutWhileOthersCarryOn() throws Exception {
        start(LiveHttpServer.builder(notifier).maxConnections(2).heartbeat(Duration.ofSeconds(30))
                // Long enough for the reading client to keep up on a busy machine.
                .writeTimeout(Duration.ofSeconds(2)));
        try (Socket stalled = stalledClient("GET /changes?topic=balances HTTP/1.1\r\nHost: x\r\n\r\n");
             SseClient reader = SseClient.open(changes("topic=balances"), null)) {
            awaitSubscribers(2);
            long[] position = {0};
            // Publishes until the stalled client's window is full and its write outlives the timeout.
            Await.until("the stalled client to be dropped", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 20; i++) {
                    notifier.publish(bigChange(++position[0]));
                }
                return server.changes().openConnections() == 1;
            });
            awaitSubscribers(1);
            // The reader still gets changes (after a resync if it fell behind), and a new client gets the free slot.
            notifier.publish(change(++position[0], "last"));
            String last = Position.of(position[0]).toToken();
            SseClient.Event event;
            do {
                event = reader.next(WAIT);
                assertNotNull(event, "the reading client got nothing");
            } while (!last.equals(event.id()));
            // No thread is left in a write: the dropped client's writer returned (the reader's is waiting in poll).
            Await.until("no thread left in a write", WAIT, () -> !anyThreadIn("write"));
            try (SseClient next = SseClient.open(changes("topic=balances"), null)) {
                assertEquals(200, next.status());
            }
            // The server closed the stalled socket: reading it now ends (after what the window held) instead of
            // waiting for the timeout.
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            byte[] buffer = new byte[65_536];
            try {
                while (in.read(buffer) >= 0) {
                    // drain what was sent before the drop
                }
            } catch (java.net.SocketException reset) {
                // closed with data unread on the server side: also closed
            }
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return SseClient.HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyTheExactPathsOfStreamsAndHealthAnswer() throws Exception {
        start(LiveHttpServer.builder(notifier).health(HealthCheck.builder().build()));
        assertEquals(200, get("/health").statusCode());
        for (String path : List.of("/healthz", "/health/", "/changesXYZ?topic=notes", "/changes/x?topic=notes")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertTrue(response.body().contains("Did you mean"), response.body());
        }
        assertEquals(0, server.changes().openConnections());
        server.close();
        // With a route at "/", other paths under /health go to it, as they would without the health endpoint.
        start(LiveHttpServer.builder(notifier).health(HealthCheck.builder().build()).route("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1);
            }
        }));
        assertEquals(200, get("/healthz").statusCode());
        assertEquals("", get("/healthz").body());
        assertTrue(get("/health").body().contains("\"status\":\"UP\""));
    }

    static int serverThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("eskit-http-\\d+")).count();
    }

    static boolean closedByServer(Socket socket) throws IOException {
        if (socket.isClosed()) {
            return true;
        }
        socket.setSoTimeout(1);
        try {
            if (socket.getInputStream().read(new byte[4096]) < 0) {
                socket.close();
                return true;
            }
            return false;   // a response, or the start of one: read on
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            socket.close();
            return true;
        }
    }

    @Test
    void connectionsThatNeverFinishTheirHeadersAreClosedAndTheThreadsStayBounded() throws Exception {
        int before = serverThreads();
        start(LiveHttpServer.builder(notifier).maxConnections(2).requestThreads(2)
                .requestHeaderTimeout(Duration.ofMillis(300)).health(HealthCheck.builder().build()));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                slow.add(stalledClient("GET /health HTTP/1.1\r\nHost: x\r\n"));
            }
            int[] most = {0};
            Await.until("the server to close every unfinished request", Duration.ofSeconds(20), () -> {
                most[0] = Math.max(most[0], serverThreads() - before);
                try {
                    for (Socket socket : slow) {
                        if (!closedByServer(socket)) {
                            return false;
                        }
                    }
                    return true;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(most[0] <= 4, "the server ran " + most[0] + " threads, more than maxConnections"
                    + " + requestThreads = 4");
            // The server is still there, and answers.
            assertEquals(200, get("/health").statusCode());
            try (SseClient client = SseClient.open(changes("topic=notes"), null)) {
                assertEquals(200, client.status());
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void theRequestBoundsMustBePositive() {
        LiveHttpServer.Builder builder = LiveHttpServer.builder(notifier);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.eskit.InvalidInputException.class,
                () -> builder.requestThreads(0)).getMessage().contains("requestThreads must be at least 1"));
        org.junit.jupiter.api.Assertions.assertThrows(dev.eskit.InvalidInputException.class,
                () -> builder.requestHeaderTimeout(Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertThrows(dev.eskit.InvalidInputException.class,
                () -> builder.writeTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void streamsBeyondTheBoundAreRefusedWith503UntilOneCloses() throws Exception {
        start(LiveHttpServer.builder(notifier).maxConnections(2).heartbeat(Duration.ofMillis(50)));
        try (SseClient one = SseClient.open(changes("topic=balances"), null);
             SseClient two = SseClient.open(changes("topic=balances"), null)) {
            assertEquals(200, one.status());
            assertEquals(200, two.status());
            HttpResponse<String> refused = SseClient.HTTP.send(HttpRequest.newBuilder(changes("topic=balances"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
            two.close();
            Await.until("a free slot", WAIT, () -> server.changes().openConnections() == 1);
            try (SseClient three = SseClient.open(changes("topic=balances"), null)) {
                assertEquals(200, three.status());
            }
        }
    }

    @Test
    void badRequestsGetAMessage() throws Exception {
        start(LiveHttpServer.builder(notifier));
        HttpResponse<String> none = SseClient.HTTP.send(HttpRequest.newBuilder(changes("x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, none.statusCode());
        assertTrue(none.body().contains("?topic=balances"), none.body());
        HttpResponse<String> post = SseClient.HTTP.send(HttpRequest.newBuilder(changes("topic=balances"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(0, server.changes().openConnections());
    }

    @Test
    void closingTheServerEndsOpenStreams() throws Exception {
        start(LiveHttpServer.builder(notifier));
        try (SseClient client = SseClient.open(changes("topic=balances"), null)) {
            awaitSubscribers(1);
            server.close();
            awaitSubscribers(0);
            assertEquals(0, server.changes().openConnections());
        }
        server = null;
    }
}
