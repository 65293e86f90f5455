package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.hooks.LoggingMiddleware;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.MissingTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantCommandBus;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScopedCheckpointStore;
import dev.eskit.tenancy.TenantScopedEventStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/tenancy.md, on a temporary SQLite file instead of PostgreSQL. */
class TenancyGuideExamplesTest {

    @Test
    void viewsPrefixStreamsAndCheckpointsWithTheTenant(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("tenants.db");
        EventTypes types = EventTypes.discover();
        // As on the page (sqlite instead of postgres):
        try (JdbiEventStore shared = JdbiEventStore.sqlite(url, types)) {
            EventStore acme = TenantScopedEventStore.of(shared, TenantId.of("acme"));
            CheckpointStore acmeCheckpoints = TenantScopedCheckpointStore.of(shared.checkpoints(), TenantId.of("acme"));

            acme.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(new Deposited("a-1", 5)));
            assertEquals(1, shared.streamVersion(StreamRef.of("acme::account", "a-1")));
            assertEquals(StreamRef.of("account", "a-1"), acme.load(StreamRef.of("account", "a-1")).get(0).stream());

            Position position = acme.readAll(Position.START, 10).get(0).position();
            acmeCheckpoints.save("balances", position);
            assertEquals(position, shared.checkpoints().load("acme::balances").orElseThrow());
        }
    }

    @Test
    void theTenantCommandBusRunsEachTenantsCommandsInItsOwnStreams() {
        EventStore shared = EventStore.inMemory();
        TenantCommandBus bus = TenantCommandBus.create(shared, store -> CommandBus.builder(store)
            .middleware(LoggingMiddleware.create())
            .register(AccountDecider.routes())
            .build());
        bus.send(new Deposit("a-1", 500), Tenancy.withTenant(CommandContext.create(), TenantId.of("acme")));

        assertEquals(1, shared.streamVersion(StreamRef.of("acme::account", "a-1")));
        assertEquals(0, shared.streamVersion(StreamRef.of("account", "a-1")));
        assertEquals(TenantId.of("acme"),
                Tenancy.tenantOf(shared.readAll(Position.START, 10).get(0)).orElseThrow());
        assertThrows(MissingTenantException.class, () -> bus.send(new Deposit("a-1", 1), CommandContext.create()));
        assertThrows(InvalidTenantException.class, () -> TenantId.of("ACME"));
    }
}
