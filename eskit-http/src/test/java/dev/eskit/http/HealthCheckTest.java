package dev.eskit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.codec.EventTypes;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health endpoint: 200 while subscriptions keep up, 503 when one lags past a bound or failed. */
class HealthCheckTest {

    record Added(int n) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    final EventStore store = EventStore.inMemory(EventTypes.builder().add("t.Added", Added.class).build());

    void add(int count) {
        for (int i = 0; i < count; i++) {
            store.append(StreamRef.of("t", "s"), ExpectedVersion.any(), List.of(new Added(i)));
        }
    }

    Subscription.Builder subscription(String name) {
        return Subscription.builder(name, store, CheckpointStore.inMemory()).handler(e -> { });
    }

    @Test
    void liveSubscriptionsAreHealthyOverHttp() throws Exception {
        add(3);
        try (Subscription live = subscription("live").build().start();
             LiveHttpServer server = LiveHttpServer.builder(ChangeNotifier.create())
                     .health(HealthCheck.builder().subscription(live).maxLagEvents(1).heldBack(s -> false).build())
                     .start()) {
            assertTrue(live.awaitCaughtUp(WAIT));
            HttpResponse<String> response = SseClient.HTTP.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"status\":\"UP\",\"subscriptions\":[{\"name\":\"live\",\"state\":\"LIVE\",\"healthy\":true,"
                    + "\"lag\":{\"events\":0,\"atLeast\":false,\"ageMillis\":0},\"heldBack\":false,\"lastError\":null,"
                    + "\"problems\":[]}]}", response.body());
        }
    }

    @Test
    void theHeldBackFlagComesFromTheLagByDefault() {
        add(2);
        try (Subscription live = subscription("flag").build().start()) {
            assertTrue(live.awaitCaughtUp(WAIT));
            String json = HealthCheck.builder().subscription(live).build().check().json();
            assertTrue(json.contains("\"heldBack\":false,\"heldBackMillis\":0,"), json);
            String replaced = HealthCheck.builder().subscription(live).heldBack(s -> true).build().check().json();
            assertTrue(replaced.contains("\"heldBack\":true,\"lastError\""), replaced);
        }
    }

    @Test
    void aLagBeyondTheBoundIsUnhealthy() {
        add(5);
        Subscription behind = subscription("behind").build();
        HealthCheck.Report report = HealthCheck.builder().subscription(behind).maxLagEvents(2).build().check();
        assertEquals(503, report.status());
        assertTrue(report.json().contains("\"status\":\"DOWN\""), report.json());
        assertTrue(report.json().contains("at least 3 events behind, more than 2"), report.json());
        HealthCheck.Report byAge = HealthCheck.builder().subscription(behind).maxLagAge(Duration.ZERO).build().check();
        // The oldest waiting event was appended before now; with a bound of zero any age is too old, unless the clock
        // has not moved, so only the event count is certain here.
        assertTrue(byAge.json().contains("\"events\":5"), byAge.json());
        assertEquals(200, HealthCheck.builder().subscription(behind).maxLagEvents(5).build().check().status());
    }

    @Test
    void aFailedSubscriptionIsUnhealthyWithItsError() {
        add(1);
        try (Subscription failing = subscription("failing").handler(e -> {
            throw new AssertionError("broken projection");
        }).build().start()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            // The failure is recorded just before the state turns FAILED: wait for the state the check reads.
            while (failing.state() != dev.eskit.subscription.SubscriptionState.FAILED && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            HealthCheck.Report report = HealthCheck.builder().subscription(failing).build().check();
            assertEquals(503, report.status());
            assertTrue(report.json().contains("\"state\":\"FAILED\""), report.json());
            assertTrue(report.json().contains("failed: java.lang.AssertionError: broken projection"), report.json());
        }
    }
}
