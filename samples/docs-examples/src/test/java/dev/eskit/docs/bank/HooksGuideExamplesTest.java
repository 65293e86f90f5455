package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.RetryPolicy;
import dev.eskit.hooks.AppendRejectedException;
import dev.eskit.hooks.GuardedProjectionHandler;
import dev.eskit.hooks.HookedEventStore;
import dev.eskit.hooks.LoggingMiddleware;
import dev.eskit.hooks.ProjectionErrorPolicy;
import dev.eskit.hooks.ProjectionHaltedException;
import dev.eskit.hooks.RetryMiddleware;
import dev.eskit.hooks.SingleWriterMiddleware;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.projection.ProjectionHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/hooks.md, on a temporary SQLite file and the in-memory store. */
class HooksGuideExamplesTest {

    /** Stands in for the page's audit trail. */
    static final class Audit {
        final List<AppendResult> recorded = new CopyOnWriteArrayList<>();

        void record(AppendResult result) {
            recorded.add(result);
        }
    }

    /** Stands in for the page's alerting. */
    static final class Alerts {
        final List<String> sent = new CopyOnWriteArrayList<>();

        void notify(String projection, Position position, RuntimeException error) {
            sent.add(projection + "@" + position.toToken() + ": " + error.getMessage());
        }
    }

    @Test
    void appendHooksRejectWithoutWritingAndAuditWhatWasWritten(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("hooks.db");
        EventTypes types = EventTypes.discover();
        Audit audit = new Audit();

        // As on the page:
        EventStore store = HookedEventStore.builder(JdbiEventStore.sqlite(url, types))
            .before(request -> {
                if (request.metadata().initiator() == null) {
                    throw new AppendRejectedException("Append to " + request.stream() + " has no initiator.");
                }
            })
            .after((request, result) -> audit.record(result))
            .build();

        try (store) {
            CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
            assertThrows(AppendRejectedException.class, () -> bus.send(new Deposit("a-1", 5)));
            assertEquals(0, store.streamVersion(StreamRef.of("account", "a-1")));
            assertTrue(audit.recorded.isEmpty());

            bus.send(new Deposit("a-1", 5), CommandContext.of(Metadata.empty().withInitiator("alice")));
            assertEquals(1, store.streamVersion(StreamRef.of("account", "a-1")));
            assertEquals(1, audit.recorded.size());
        }
    }

    @Test
    void theMiddlewareChainFromThePageRunsCommands() {
        EventStore store = EventStore.inMemory();
        CommandBus bus = CommandBus.builder(store)
            .middleware(LoggingMiddleware.create())
            .middleware(RetryMiddleware.of(RetryPolicy.attempts(5)))
            .middleware(SingleWriterMiddleware.create())
            .register(AccountDecider.routes())
            .build();
        bus.send(new Deposit("a-1", 5));
        bus.send(new Deposit("a-1", 7));
        assertEquals(2, store.streamVersion(StreamRef.of("account", "a-1")));
    }

    @Test
    void aGuardedHandlerRetriesThenHaltsAndTellsTheHookEveryTry() {
        EventStore store = EventStore.inMemory();
        store.append(StreamRef.of("account", "a-1"), dev.eskit.ExpectedVersion.noStream(),
                List.of(new Deposited("a-1", 5)));
        StoredEvent<Object> deposited = store.readAll(Position.START, 10).get(0);
        Alerts alerts = new Alerts();
        ProjectionHandler failing = new ProjectionHandler() {
            @Override
            public String name() {
                return "balances";
            }

            @Override
            public Set<String> eventTypes() {
                return Set.of("bank.Deposited");
            }

            @Override
            public void handle(StoredEvent<?> event) {
                throw new IllegalStateException("read model unavailable");
            }
        };
        ProjectionHandler view = failing;   // the page wraps new BalancesHandlers(view); this one always fails

        // As on the page, with the failing handler:
        ProjectionHandler balances = GuardedProjectionHandler.of(view,
            ProjectionErrorPolicy.retry(3, Duration.ofMillis(50), ProjectionErrorPolicy.halt()),
            (projection, event, attempt, error) -> alerts.notify(projection, event.position(), error));

        ProjectionHaltedException halted = assertThrows(ProjectionHaltedException.class, () -> balances.handle(deposited));
        assertEquals(3, alerts.sent.size());
        assertEquals(deposited.position(), halted.position());
        // Halted: every later call throws too, without trying again, until resume().
        assertThrows(ProjectionHaltedException.class, () -> balances.handle(deposited));
        assertEquals(3, alerts.sent.size());

        // And the page's own form, over the generated handlers, applies events when nothing fails.
        Balances model = new Balances();
        ProjectionHandler guarded = GuardedProjectionHandler.of(new BalancesHandlers(model),
            ProjectionErrorPolicy.retry(3, Duration.ofMillis(50), ProjectionErrorPolicy.halt()),
            (projection, event, attempt, error) -> alerts.notify(projection, event.position(), error));
        guarded.handle(deposited);
        assertEquals(Map.of("a-1", 5L), model.all());
    }
}
