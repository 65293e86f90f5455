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
import dev.eskit.command.CommandTypes;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import dev.eskit.hooks.LoggingMiddleware;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.MissingTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantCommandBus;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScopedCheckpointStore;
import dev.eskit.tenancy.TenantScope;
import dev.eskit.tenancy.TenantScopedEventStore;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamStatus;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.jdbi.JdbiSubjectKeyStore;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.jdbi.subscription.JdbiTodoStore;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import org.jdbi.v3.core.Jdbi;
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
    void aTenantScopeHandsOutTheTenantsViewOfEverySharedStore(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("tenants.db");
        try (JdbiEventStore shared = JdbiEventStore.sqlite(url, EventTypes.discover())) {
            Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + dir.resolve("tenants.db"));
            // As on the page:
            TenantScope scope = TenantScope.of(TenantId.of("acme"));
            EventStore events = scope.events(shared);
            SnapshotStore snapshots = scope.snapshots(shared.snapshots());
            DeadLetterStore deadLetters = scope.deadLetters(JdbiDeadLetterStore.create(jdbi, shared));
            TodoStore todos = scope.todos(JdbiTodoStore.create(jdbi, shared));
            StreamAdmin admin = scope.admin(shared);
            SubjectKeyStore keys = scope.subjectKeys(JdbiSubjectKeyStore.create(jdbi));

            events.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(new Deposited("a-1", 5)));
            todos.add("mail", "m-1", "{}");
            assertEquals(1, JdbiTodoStore.create(jdbi, shared).list("acme::mail", TodoStatus.PENDING, 10).size());
            admin.archive(StreamRef.of("account", "a-1"));
            assertEquals(StreamStatus.ARCHIVED, shared.status(StreamRef.of("acme::account", "a-1")));
            assertEquals(0, deadLetters.count("balances"));
            assertEquals(0, keys.forget("c-1"));
            assertEquals(java.util.Optional.empty(), snapshots.load(StreamRef.of("account", "a-1")));
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

    @Test
    void aTenantsQueueRunsOnlyItsOwnCommands(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("tenants.db");
        try (JdbiEventStore shared = JdbiEventStore.sqlite(url, EventTypes.discover())) {
            Jdbi jdbi = Jdbi.create(url);
            CommandTypes types = CommandTypes.discover();
            TenantId acme = TenantId.of("acme");
            TenantCommandBus bus = TenantCommandBus.create(shared, store -> CommandBus.builder(store)
                .register(AccountDecider.routes())
                .build());
            // As on the page:
            CommandQueue acmeQueue = CommandQueue.builder(JdbiCommandQueueStore.create(jdbi, shared),
                    bus.forTenant(acme), types)
                .workers(2).partitionByStream().build().start();
            String id = acmeQueue.enqueue(new Deposit("a-1", 500));       // stored as acme::<id>, eskit.tenant=acme

            try (acmeQueue) {
                assertEquals(QueueStatus.SUCCEEDED, acmeQueue.await(id).join().status());
            }
            assertEquals(1, shared.streamVersion(StreamRef.of("acme::account", "a-1")));
            JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(jdbi, shared);
            assertEquals("acme", queueStore.find("acme::" + id).orElseThrow().metadata().extras()
                    .get(Tenancy.METADATA_KEY));
            assertEquals(java.util.Optional.empty(), TenantScope.of(TenantId.of("globex")).commandQueue(queueStore)
                    .find(id));
        }
    }
}
