package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.Position;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java example of docs/cli.md, compiled and run. Keep the two in step. */
class CliGuideExamplesTest {

    @TempDir
    Path dir;

    // --- docs/cli.md: "Copying events from Java"
    /** Copies every event of {@code source} into {@code target}, keeping ids, versions, timestamps and order. */
    static long copy(JdbiEventStore source, JdbiEventStore target) {
        long copied = 0;
        Position after = Position.START;
        List<RawEvent> page;
        while (!(page = source.raw().readAll(after, 1_000, Set.of())).isEmpty()) {
            copied += target.raw().importEvents(page);   // events already there are skipped
            after = page.get(page.size() - 1).position();
        }
        return copied;
    }

    @Test
    void copyingKeepsEveryEvent() {
        EventTypes types = EventTypes.of(new BankEventTypes());
        try (JdbiEventStore source = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("a.db"), types);
             JdbiEventStore target = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("b.db"), types)) {
            CommandBus bus = CommandBus.builder(source).register(AccountDecider.routes()).build();
            bus.send(new OpenAccount("a-1", "ada"));
            bus.send(new Deposit("a-1", 5));

            assertEquals(2, copy(source, target));
            assertEquals(0, copy(source, target));
            assertEquals(source.readAll(Position.START, 10).stream().map(e -> e.id()).toList(),
                    target.readAll(Position.START, 10).stream().map(e -> e.id()).toList());
        }
    }
}
