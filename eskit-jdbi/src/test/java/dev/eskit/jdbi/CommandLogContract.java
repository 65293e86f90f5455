package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandResult;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandLogQuery;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.command.log.CommandRecorder;
import dev.eskit.jdbi.CommandDomain.Deposit;
import dev.eskit.jdbi.CommandDomain.Withdraw;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.command.JdbiCommandLog;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The command log in a database table: written with the events, filtered, expired. */
abstract class CommandLogContract {

    abstract Databases db();

    private JdbiEventStore store;
    private JdbiCommandLog log;

    private CommandBus bus() {
        Databases.Location location = db().newLocation();
        store = db().open(location);
        log = JdbiCommandLog.create(Jdbi.create(location.dataSource()), store);
        return CommandBus.builder(store).register(CommandDomain.routes())
                .commandLog(CommandRecorder.of(log, CommandDomain.TYPES)).build();
    }

    @Test
    void acceptedCommandIsLoggedWithThePositionsOfItsEvents() {
        CommandBus bus = bus();
        CommandResult<?, ?> result = bus.send(new Deposit("a", 5),
                new CommandContext("cmd-1", Metadata.correlatedBy("order-1").with("ip", "10.0.0.1"), null));

        CommandLogEntry entry = log.find("cmd-1").orElseThrow();
        StoredEvent<Object> stored = store.load(StreamRef.of("account", "a")).get(0);
        assertEquals(result.events().get(0).position(), stored.position());
        assertEquals(stored.position(), entry.firstPosition());
        assertEquals(stored.position(), entry.lastPosition());
        assertEquals(1, entry.eventCount());
        assertEquals(CommandOutcome.ACCEPTED, entry.outcome());
        assertEquals("test.Deposit", entry.commandType());
        assertEquals("{\"account\":\"a\",\"cents\":5}", entry.payload());
        assertEquals("order-1", entry.metadata().correlationId());
        assertEquals("cmd-1", entry.metadata().causationId());
        assertEquals("10.0.0.1", entry.metadata().extras().get("ip"));
        assertEquals(StreamRef.of("account", "a"), entry.stream());
        assertEquals(1, entry.streamVersion());
    }

    @Test
    void rejectedCommandIsLoggedAndListsFilter() {
        CommandBus bus = bus();
        bus.send(new Deposit("a", 5), CommandContext.of(Metadata.correlatedBy("k1")));
        assertThrows(IllegalStateException.class, () -> bus.send(new Withdraw("a", 9),
                new CommandContext("cmd-2", Metadata.correlatedBy("k1"), null)));
        bus.send(new Withdraw("a", 1), CommandContext.of(Metadata.correlatedBy("k2")));

        CommandLogEntry rejected = log.find("cmd-2").orElseThrow();
        assertEquals(CommandOutcome.REJECTED, rejected.outcome());
        assertEquals("java.lang.IllegalStateException: balance 5 is below 9", rejected.error());
        assertEquals(0, rejected.eventCount());

        assertEquals(3, log.list(CommandLogQuery.latest(10)).size());
        assertEquals(2, log.list(CommandLogQuery.latest(10).withType("test.Withdraw")).size());
        assertEquals(List.of("cmd-2"), log.list(CommandLogQuery.latest(10).withOutcome(CommandOutcome.REJECTED))
                .stream().map(CommandLogEntry::commandId).toList());
        assertEquals(2, log.list(CommandLogQuery.latest(10).withCorrelationId("k1")).size());
        assertEquals(0, log.list(CommandLogQuery.latest(10).between(null, Instant.now().minusSeconds(3600))).size());
        assertEquals("test.Withdraw", log.list(CommandLogQuery.latest(1)).get(0).commandType());
    }

    @Test
    void anEntryThatCannotBeWrittenRollsTheEventsBack() {
        bus();
        AppendRequest request = AppendRequest.of(StreamRef.of("account", "b"), ExpectedVersion.noStream(),
                List.of(new Deposited("b", 1)));
        assertThrows(IllegalStateException.class, () -> log.appendAndRecord(store, request, result -> {
            throw new IllegalStateException("entry fails");
        }));
        assertEquals(0, store.streamVersion(StreamRef.of("account", "b")));
    }

    @Test
    void aConflictingAppendWritesNoEntry() {
        bus();
        store.append(StreamRef.of("account", "c"), ExpectedVersion.noStream(), List.of(new Deposited("c", 1)));
        AppendRequest stale = AppendRequest.of(StreamRef.of("account", "c"), ExpectedVersion.noStream(),
                List.of(new Deposited("c", 2)));
        assertThrows(ConcurrencyException.class, () -> log.appendAndRecord(store, stale, result ->
                new CommandLogEntry("never", "test.Deposit", StreamRef.of("account", "c"), "{}", null,
                        CommandOutcome.ACCEPTED, 0, null, null, 0, null, Instant.now(), java.time.Duration.ZERO)));
        assertTrue(log.find("never").isEmpty());
    }

    @Test
    void expiredEntriesAreDeleted() {
        CommandBus bus = bus();
        bus.send(new Deposit("a", 5), new CommandContext("old", null, null));
        assertEquals(0, log.deleteStartedBefore(Instant.now().minusSeconds(60)));
        assertEquals(1, log.deleteStartedBefore(Instant.now().plusSeconds(1)));
        assertTrue(log.find("old").isEmpty());
    }
}
