package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.automation.Automation;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.testing.AutomationSpec;
import dev.eskit.testing.DeciderSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java example of docs/testing.md, compiled and run. Keep the two in step. */
class TestingGuideExamplesTest {

    // --- docs/testing.md: "Deciders: given, when, then"
    @Test
    void aDepositRaisesTheBalance() {
        AccountSpec.given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 500))
                .when(new Deposit("a-1", 250))
                .then(new Deposited("a-1", 250))
                .thenState(new AccountState("ada", 750));
    }

    @Test
    void aDepositToAnUnopenedAccountIsRejected() {
        AccountSpec.when(new Deposit("a-1", 5))
                .thenError(AccountRejectedException.class, "not open");
    }

    @Test
    void openingTwiceForTheSameOwnerChangesNothing() {
        AccountSpec.given(new AccountOpened("a-1", "ada"))
                .when(new OpenAccount("a-1", "ada"))
                .thenNoEvents();
    }

    @Test
    void aScenarioGoesOnWithTheNextCommand() {
        AccountSpec.given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 500))
                .when(new Withdraw("a-1", 200, "rent"))
                .then(new Withdrawn("a-1", 200, "rent"))
                .when(new Withdraw("a-1", 400, "car"))                      // on 500 - 200
                .thenError(InsufficientFundsException.class, "has 300 cents");
    }

    // --- docs/testing.md: "Without the processor"
    @Test
    void theSameFixtureForAHandWrittenDecider() {
        DeciderSpec.of(new AccountDecider())
                .given(new AccountOpened("a-1", "ada"))
                .when(new Deposit("a-1", 100))
                .then(new Deposited("a-1", 100));
    }

    // --- docs/testing.md: "Command handling on the in-memory store"
    @Test
    void commandsGoThroughTheBusToTheInMemoryStore() {
        EventStore store = EventStore.inMemory(EventTypes.of(new BankEventTypes()));
        CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();

        bus.send(new OpenAccount("a-1", "ada"));
        bus.send(new Deposit("a-1", 1_000));

        assertEquals(2, store.streamVersion(StreamRef.of("account", "a-1")));
    }

    // --- docs/testing.md: "Projections", the generated fixture
    @Test
    void theBalancesSpecChecksTheReadModel() {
        BalancesSpec.of(new Balances())
                .given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 500), new Withdrawn("a-1", 200, "rent"))
                .thenQuery(balances -> balances.all().get("a-1"), 300L)
                .then(balances -> assertEquals(3, balances.lastWithdrawalVersion()));
    }

    // --- docs/testing.md: "Automations"
    @Test
    void anAutomationSpecChecksTheCommandsSent() {
        Automation fee = event -> event.data() instanceof Deposited d && d.amountCents() >= 100_000
                ? List.of(new Withdraw(d.accountId(), 100, "fee for a large deposit"))
                : List.of();

        AutomationSpec.of(fee)
                .given(new Deposited("a-1", 500), new Deposited("a-1", 200_000))
                .then(new Withdraw("a-1", 100, "fee for a large deposit"));
    }

    // --- docs/testing.md: "Projections"
    @Test
    void theBalancesProjectionFoldsTheLog() {
        EventStore store = EventStore.inMemory(EventTypes.of(new BankEventTypes()));
        CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
        bus.send(new OpenAccount("a-1", "ada"));
        bus.send(new Deposit("a-1", 1_000));

        Balances balances = new Balances();
        BalancesHandlers handler = new BalancesHandlers(balances);
        for (StoredEvent<Object> event : store.readAll(Position.START, 100, handler.eventTypes())) {
            handler.handle(event);
        }
        assertEquals(Map.of("a-1", 1_000L), balances.all());
    }

    // --- docs/testing.md: "Against a real database"
    @TempDir
    Path dir;

    @Test
    void theSameFlowOnASqliteFile() {
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("test.db"),
                EventTypes.of(new BankEventTypes()))) {
            CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
            bus.send(new OpenAccount("a-1", "ada"));
            bus.send(new Deposit("a-1", 1_000));
            assertEquals(2, store.load(StreamRef.of("account", "a-1")).size());
        }
    }
}
