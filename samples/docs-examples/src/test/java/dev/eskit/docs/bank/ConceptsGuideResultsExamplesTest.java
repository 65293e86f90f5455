package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandResult;
import dev.eskit.docs.contracts.ContractSigned;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/concepts.md added for new users: typed views of a command bus result, the generated wire-name
 * constants, and {@code java.time} in events with {@code jackson-datatype-jsr310} on the class path.
 */
class ConceptsGuideResultsExamplesTest {

    @Test
    void aBusResultHasTypedViews() {
        EventStore store = EventStore.inMemory();
        CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
        bus.send(new OpenAccount("a-1", "ada"));

        // As on the page:
        CommandResult<?, ?> result = bus.send(new Deposit("a-1", 500));
        AccountState state = result.state(AccountState.class);          // ClassCastException if it is another decider's
        List<Deposited> deposited = result.eventData(Deposited.class);  // the new events of that type, in order

        assertEquals(new AccountState("ada", 500), state);
        assertEquals(List.of(new Deposited("a-1", 500)), deposited);
    }

    @Test
    void wireNameConstantsFilterTheLog() {
        EventStore store = EventStore.inMemory();
        CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
        bus.send(new OpenAccount("a-1", "ada"));
        bus.send(new Deposit("a-1", 5));

        // As on the page:
        List<StoredEvent<Object>> deposits = store.readAll(Position.START, 100, Set.of(BankEventTypes.DEPOSITED));

        assertEquals("bank.Deposited", BankEventTypes.DEPOSITED);
        assertEquals(List.of(new Deposited("a-1", 5)), deposits.stream().map(StoredEvent::data).toList());
    }

    @Test
    void javaTimeComponentsRoundTripAsIsoStrings(@TempDir Path dir) {
        ContractSigned signed = new ContractSigned("c-1", Instant.parse("2026-12-02T09:00:00Z"),
                LocalDate.parse("2027-01-01"));
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("time.db"),
                EventTypes.discover())) {
            store.append(StreamRef.of("contract", "c-1"), ExpectedVersion.noStream(), List.of(signed));
            assertEquals(signed, store.load(StreamRef.of("contract", "c-1")).get(0).data());
        }
        String json = new String(dev.eskit.codec.JsonEventCodec.create(EventTypes.discover()).encode(signed).data(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"2026-12-02T09:00:00Z\"") && json.contains("\"2027-01-01\""), json);
    }
}
