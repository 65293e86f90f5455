package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.projection.ProjectionHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bare commands through a command bus on the in-memory store, then the balances projection over the log. */
class BankEndToEndTest {

    private final EventStore store = EventStore.inMemory();
    private final CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();

    @Test
    void commandsAreRoutedToTheirAccountStreams() {
        bus.send(new OpenAccount("a-1", "ada"));
        bus.send(new Deposit("a-1", 1_000));
        bus.send(new Withdraw("a-1", 300, "rent"));
        bus.send(new OpenAccount("a-2", "bob"));

        List<Object> events = store.load(new StreamRef("account", "a-1")).stream()
                .map(StoredEvent::data).map(Object.class::cast).toList();
        assertEquals(List.of(new AccountOpened("a-1", "ada"), new Deposited("a-1", 1_000),
                new Withdrawn("a-1", 300, "rent")), events);
        assertEquals(1, store.streamVersion(new StreamRef("account", "a-2")));
    }

    @Test
    void aRejectedWithdrawalAppendsNothing() {
        bus.send(new OpenAccount("a-1", "ada"));
        bus.send(new Deposit("a-1", 100));
        assertThrows(InsufficientFundsException.class, () -> bus.send(new Withdraw("a-1", 101, "rent")));
        assertEquals(2, store.streamVersion(new StreamRef("account", "a-1")));
    }

    @Test
    void theBalancesProjectionHandlesTheLogThroughItsGeneratedTable() {
        bus.send(new OpenAccount("a-1", "ada"));
        bus.send(new Deposit("a-1", 1_000));
        bus.send(new OpenAccount("a-2", "bob"));
        bus.send(new Deposit("a-2", 50));
        bus.send(new Withdraw("a-1", 400, "rent"));

        Balances balances = new Balances();
        ProjectionHandler handler = new BalancesHandlers(balances);
        assertEquals("balances", handler.name());
        assertEquals(Set.of("bank.AccountOpened", "bank.Deposited", "bank.Withdrawn"), handler.eventTypes());
        for (StoredEvent<Object> event : store.readAll(Position.START, 100, handler.eventTypes())) {
            handler.handle(event);
        }
        assertEquals(Map.of("a-1", 600L, "a-2", 50L), balances.all());
        assertEquals(3, balances.lastWithdrawalVersion());
    }
}
