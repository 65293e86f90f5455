package dev.eskit.samples.springbank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.spring.EskitSubscriptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The REST API end to end over HTTP, on whichever database the subclass gives (SQLite, PostgreSQL). Request and
 * response bodies are read with Jackson 2 (eskit's), while Spring MVC writes them with Jackson 3: both live on one
 * class path.
 */
abstract class BankApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbiEventStore store;

    @Autowired
    EskitSubscriptions subscriptions;

    abstract String expectedDatabase();

    @Test
    void runsOnTheExpectedDatabase() {
        assertEquals(expectedDatabase(), store.databaseName());
        assertTrue(subscriptions.isRunning());
    }

    @Test
    void opensDepositsWithdrawsAndReadsItsOwnWrites() throws Exception {
        String id = "acc-" + UUID.randomUUID();
        assertEquals(201, post("/accounts", "{\"id\":\"" + id + "\",\"owner\":\"Ann\"}").statusCode());
        post("/accounts/" + id + "/deposits", "{\"amountCents\":1000}");
        HttpResponse<String> withdrawn = post("/accounts/" + id + "/withdrawals",
                "{\"amountCents\":300,\"reason\":\"rent\"}");
        assertEquals(200, withdrawn.statusCode(), withdrawn.body());
        String position = JSON.readTree(withdrawn.body()).get("position").asText();
        JsonNode balances = JSON.readTree(get("/accounts?after=" + position).body());
        assertEquals(700, balances.get(id).asLong(), balances.toString());
    }

    @Test
    void anOverdraftIsRefusedWith422AndNothingIsAppended() throws Exception {
        String id = "acc-" + UUID.randomUUID();
        post("/accounts", "{\"id\":\"" + id + "\",\"owner\":\"Bo\"}");
        HttpResponse<String> refused = post("/accounts/" + id + "/withdrawals", "{\"amountCents\":1}");
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(JSON.readTree(refused.body()).get("detail").asText().contains("cannot withdraw 1"), refused.body());
        assertEquals(1, store.streamVersion(dev.eskit.StreamRef.of("account", id)));
    }

    @Test
    void aTransferDepositsThroughTheAutomation() throws Exception {
        String from = "acc-" + UUID.randomUUID();
        String to = "acc-" + UUID.randomUUID();
        post("/accounts", "{\"id\":\"" + from + "\",\"owner\":\"Cy\"}");
        post("/accounts", "{\"id\":\"" + to + "\",\"owner\":\"Di\"}");
        post("/accounts/" + from + "/deposits", "{\"amountCents\":500}");
        assertEquals(202, post("/transfers", "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amountCents\":200}")
                .statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode balances = JSON.readTree(get("/accounts").body());
        while (balances.path(to).asLong() != 200 && System.nanoTime() < deadline) {
            subscriptions.find("balances").orElseThrow().awaitCaughtUp(Duration.ofMillis(200));
            balances = JSON.readTree(get("/accounts").body());
        }
        assertEquals(200, balances.path(to).asLong(), balances.toString());
        assertEquals(300, balances.path(from).asLong(), balances.toString());
    }

    @Test
    void actuatorHealthShowsTheSubscriptions() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        JsonNode eskit = JSON.readTree(health.body()).path("components").path("eskit");
        assertEquals("UP", eskit.path("status").asText(), health.body());
        assertTrue(eskit.path("details").path("subscriptions").has("balances"), health.body());
        assertTrue(eskit.path("details").path("subscriptions").has("transfers"), health.body());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
