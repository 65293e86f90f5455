package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.Decider;
import dev.eskit.codec.EventTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated decider and registry, called directly. */
class AccountDeciderTest {

    private final Decider<AccountState, AccountCommand, AccountEvent> decider = new AccountDecider();

    @Test
    void foldsEventsThroughTheGeneratedEvolveDispatch() {
        AccountState state = decider.fold(List.of(new AccountOpened("a-1", "ada"), new Deposited("a-1", 700),
                new Withdrawn("a-1", 200, "rent")));
        assertEquals(new AccountState("ada", 500), state);
    }

    @Test
    void decidesThroughTheGeneratedDecideDispatch() {
        assertEquals(List.of(new AccountOpened("a-1", "ada")),
                decider.decide(decider.initialState(), new OpenAccount("a-1", "ada")));
    }

    @Test
    void anOptionalResultWithoutAnEventDecidesNoEvents() {
        AccountState open = new AccountState("ada", 0);
        assertEquals(List.of(), decider.decide(open, new OpenAccount("a-1", "ada")));
    }

    @Test
    void routesEveryCommandToTheAccountStreamByItsStreamId() {
        var routes = AccountDecider.routes();
        assertEquals(List.of(Deposit.class, OpenAccount.class, Withdraw.class),
                routes.stream().map(r -> (Object) r.commandType()).toList());
        routes.forEach(r -> assertEquals("account", r.streamType()));
        assertEquals("a-9", routes.get(0).streamId().apply(new Deposit("a-9", 1)));
    }

    @Test
    void theGeneratedRegistryIsDiscoveredThroughServiceLoader() {
        EventTypes types = EventTypes.discover();
        assertEquals(Deposited.class, types.byName("bank.Deposited").javaType());
        assertEquals(AccountOpened.class, types.byName("bank.AccountOpened").javaType());
        assertEquals("bank.Withdrawn", types.byClass(Withdrawn.class).name());
    }
}
