package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.Position;
import dev.eskit.codec.EventTypes;
import dev.eskit.jdbi.CheckpointInfo;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StoreStats;
import dev.eskit.jdbi.sqlite.Synchronous;
import dev.eskit.command.CommandBus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java example of docs/operations.md, compiled and run. Keep the two in step. */
class OperationsGuideExamplesTest {

    @TempDir
    Path dir;

    // --- docs/operations.md: "Monitoring lag"
    /** How many events each checkpoint is behind the head of the log: export these as gauges. */
    static Map<String, Long> checkpointLag(JdbiEventStore store) {
        Map<String, Long> lag = new HashMap<>();
        for (CheckpointInfo checkpoint : store.raw().checkpoints()) {
            lag.put(checkpoint.name(), store.raw().countAfter(checkpoint.position(), Set.of()));
        }
        return lag;
    }

    @Test
    void lagIsTheNumberOfEventsAfterACheckpoint() {
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("app.db"),
                EventTypes.of(new BankEventTypes()))) {
            CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
            bus.send(new OpenAccount("a-1", "ada"));
            store.checkpoints().save("balances", Position.of(1));
            bus.send(new Deposit("a-1", 5));
            bus.send(new Deposit("a-1", 7));

            assertEquals(Map.of("balances", 2L), checkpointLag(store));

            // --- docs/operations.md: "Monitoring lag" (store statistics)
            StoreStats stats = store.raw().stats();
            assertEquals(3, stats.events());
            assertEquals(Position.of(3), stats.lastPosition());
        }
    }

    // --- docs/operations.md: "Backups" (SQLite)
    @Test
    void vacuumIntoWritesAConsistentCopyWhileTheStoreRuns() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        try (JdbiEventStore store = JdbiEventStore.builder(dev.eskit.codec.JsonEventCodec.create(
                EventTypes.of(new BankEventTypes()))).url(url).synchronous(Synchronous.FULL).build()) {
            CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
            bus.send(new OpenAccount("a-1", "ada"));

            Path backup = dir.resolve("backup-2026-01-01.db");
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement()) {
                statement.execute("VACUUM INTO '" + backup + "'");
            }

            try (JdbiEventStore copy = JdbiEventStore.sqlite("jdbc:sqlite:" + backup,
                    EventTypes.of(new BankEventTypes()))) {
                assertEquals(1, copy.raw().stats().events());
            }
        }
    }
}
