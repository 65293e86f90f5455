package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.projection.ProjectionHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/annotations.md. The annotated classes ({@code Deposited}, {@code Withdrawn},
 * {@code WithdrawnUpcasts}, {@code Account}, {@code Balances}, {@code crm.CustomerRegistered}) are in this module's
 * main sources, compiled by the processor; this class runs the "What is generated" example and checks the generated
 * code does what the page says. The pages' failing examples (error messages) are covered by the processor's tests.
 */
class AnnotationsGuideExamplesTest {

    @Test
    void theGeneratedRoutesSpecAndProjectionHandlerWorkAsOnThePage() {
        // As on the page:
        EventStore store = EventStore.inMemory();
        CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
        bus.send(new Deposit("a-1", 500));

        AccountSpec.given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 5))
                .when(new Withdraw("a-1", 9))
                .thenError(InsufficientFundsException.class, "cannot withdraw 9");

        Balances model = new Balances();
        ProjectionHandler balances = new BalancesHandlers(model);
        store.readAll(Position.START, 1000, balances.eventTypes()).forEach(balances::handle);

        assertEquals(Map.of("a-1", 500L), model.all());
        assertEquals("balances", balances.name());
    }

    @Test
    void wireNamesDefaultToThePackageSegmentAndAliasesAreIndexed() {
        EventTypes types = EventTypes.discover();
        assertEquals(Deposited.class, types.byName("bank.Deposited").javaType());
        assertEquals(1, types.byName("bank.Deposited").version());
        assertEquals(Withdrawn.class, types.byName("bank.MoneyWithdrawn").javaType());
        assertEquals(3, types.byClass(Withdrawn.class).version());
        assertEquals(AccountDecider.STREAM_TYPE, "account");
    }

    @Test
    void everyDecideReturnFormAppendsWhatItReturns() {
        AccountSpec.given(new AccountOpened("a-1", "ada"))
                .when(new OpenAccount("a-1", "ada"))
                .thenNoEvents();                                  // Optional.empty(): zero events
        AccountSpec.given(new Deposited("a-1", 10))
                .when(new Transfer("a-1", "b-2", 4))
                .then(new Withdrawn("a-1", 4, "transfer to b-2"))   // List: any number
                .thenState(new AccountState(null, 6));
        AccountSpec.when(new Ping("a-1")).then(new Deposited("a-1", 0));   // (Command) only: state not needed
    }

    @Test
    void theProjectionHandlerPassesTheStoredEventAndCallsStaticHandlers() {
        EventStore store = EventStore.inMemory();
        store.append(StreamRef.of("account", "a-2"), ExpectedVersion.noStream(), List.of(
                new AccountOpened("a-2", "bob"), new Deposited("a-2", 50), new Withdrawn("a-2", 20, "rent")));
        Balances model = new Balances();
        BalancesHandlers handlers = new BalancesHandlers(model);
        for (StoredEvent<Object> event : store.readAll(Position.START, 100, handlers.eventTypes())) {
            handlers.handle(event);
        }
        assertEquals(Map.of("a-2", 30L), model.all());
        assertEquals(3, model.lastWithdrawalVersion());
        assertEquals(0L, Balances.openedAccounts().get("a-2"));
    }
}
