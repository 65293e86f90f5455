package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.observability.EskitObservability;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/observability.md, on a temporary SQLite file with a simple Micrometer registry. */
class ObservabilityGuideExamplesTest {

    @Test
    void theInstrumentedStoreAndMiddlewareRecordAppendsAndCommands(@TempDir Path dir) {
        MeterRegistry meterRegistry = new SimpleMeterRegistry();
        String url = "jdbc:sqlite:" + dir.resolve("observed.db");
        EventTypes types = EventTypes.discover();

        // As on the page:
        EskitObservability observability = EskitObservability.builder()
            .meterRegistry(meterRegistry)               // optional
            .openTelemetry(GlobalOpenTelemetry.get())   // optional
            .build();
        EventStore store = observability.instrument(JdbiEventStore.sqlite(url, types));
        CommandBus bus = CommandBus.builder(store)
            .middleware(observability.commandMiddleware())   // add it first: its span and timer cover later middleware
            .register(AccountDecider.routes())
            .build();

        try (store) {
            bus.send(new Deposit("a-1", 5));
            bus.send(new Transfer("a-1", "b-2", 3));
            assertThrows(InsufficientFundsException.class, () -> bus.send(new Withdraw("a-1", 100)));
        }
        assertEquals(2.0, meterRegistry.get("eskit.events.appended").tag("stream.type", "account").counter().count());
        assertEquals(2, meterRegistry.get("eskit.command").tag("outcome", "success").timers().stream()
                .mapToLong(timer -> timer.count()).sum());
        assertEquals(1, meterRegistry.get("eskit.command").tag("outcome", "rejected").timer().count());
    }

    /** The gauges' registration, as on the page (compiled only). */
    @SuppressWarnings("unused")
    static void gaugesAsOnThePage(EskitObservability observability, Subscription subscription,
            DeadLetterStore deadLetters) {
        observability.subscriptionLag("balances", () -> subscription.lag().events());
        observability.deadLetters("balances", () -> deadLetters.count("balances"));
    }
}
