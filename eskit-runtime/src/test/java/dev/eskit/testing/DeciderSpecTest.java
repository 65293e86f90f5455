package dev.eskit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeciderSpecTest {

    sealed interface Command permits Deposit, Withdraw, Touch {
    }

    record Deposit(long amount) implements Command {
    }

    record Withdraw(long amount) implements Command {
    }

    record Touch() implements Command {
    }

    sealed interface Event permits Deposited, Withdrawn {
    }

    record Deposited(long amount) implements Event {
    }

    record Withdrawn(long amount) implements Event {
    }

    static final class InsufficientFunds extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InsufficientFunds(long balance, long amount) {
            super("balance " + balance + " cannot cover " + amount);
        }
    }

    private static final Decider<Long, Command, Event> ACCOUNT = Decider.of(() -> 0L, (Long balance, Command c) -> {
        if (c instanceof Deposit deposit) {
            return List.<Event>of(new Deposited(deposit.amount()));
        }
        if (c instanceof Withdraw withdraw) {
            if (withdraw.amount() > balance) {
                throw new InsufficientFunds(balance, withdraw.amount());
            }
            return List.<Event>of(new Withdrawn(withdraw.amount()));
        }
        return List.<Event>of();
    }, (Long balance, Event e) -> e instanceof Deposited d ? balance + d.amount() : balance - ((Withdrawn) e).amount());

    private final DeciderSpec<Long, Command, Event> spec = DeciderSpec.of(ACCOUNT);

    @Test
    void passingScenarioChecksEventsAndState() {
        spec.given(new Deposited(10), new Deposited(5))
                .when(new Withdraw(12))
                .then(new Withdrawn(12))
                .thenState(3L);
    }

    @Test
    void givenAcceptsAListAndExposesTheFoldedState() {
        assertEquals(15L, spec.given(List.of(new Deposited(10), new Deposited(5))).state());
        DeciderSpec.Outcome<Long, Command, Event> outcome = spec.given(List.of(new Deposited(10)))
                .when(new Deposit(1));
        assertEquals(10L, outcome.stateBefore());
        assertEquals(11L, outcome.state());
        assertEquals(List.of(new Deposited(1)), outcome.events());
    }

    @Test
    void whenAfterThenDecidesOnTheEventsSoFar() {
        spec.given(new Deposited(10))
                .when(new Withdraw(4))
                .then(new Withdrawn(4))
                .when(new Withdraw(7))
                .thenError(InsufficientFunds.class, "balance 6 cannot cover 7")
                .when(new Withdraw(6))
                .then(new Withdrawn(6))
                .thenState(0L);
    }

    @Test
    void whenWithoutGivenStartsFromTheInitialState() {
        spec.when(new Deposit(7)).then(List.of(new Deposited(7))).thenState(7L);
    }

    @Test
    void thenNoEventsPassesWhenNothingIsDecided() {
        spec.given(new Deposited(1)).when(new Touch()).thenNoEvents().thenState(1L);
    }

    @Test
    void thenErrorPassesForTheThrownTypeOrASupertypeAndItsMessage() {
        spec.when(new Withdraw(5)).thenError(InsufficientFunds.class);
        spec.when(new Withdraw(5)).thenError(RuntimeException.class, "cannot cover 5");
    }

    @Test
    void thenStateAcceptsCustomAssertions() {
        spec.given(new Deposited(4)).when(new Deposit(4)).thenState(state -> assertEquals(8L, state));
    }

    @Test
    void wrongEventsFailWithADiff() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> spec.given(new Deposited(10)).when(new Withdraw(3)).then(new Withdrawn(4)));
        String message = failure.getMessage();
        assertTrue(message.contains("When Withdraw[amount=3]"), message);
        assertTrue(message.contains("expected 1 event(s)"), message);
        assertTrue(message.contains("first difference at event 1"), message);
        assertTrue(message.contains("- expected: Withdrawn[amount=4]"), message);
        assertTrue(message.contains("+ actual:   Withdrawn[amount=3]"), message);
    }

    @Test
    void missingAndExtraEventsAreShownInTheDiff() {
        AssertionError missing = assertThrows(AssertionError.class,
                () -> spec.when(new Deposit(1)).then(new Deposited(1), new Deposited(2)));
        assertTrue(missing.getMessage().contains("first difference at event 2"), missing.getMessage());
        assertTrue(missing.getMessage().contains("+ actual:   (nothing)"), missing.getMessage());
        AssertionError extra = assertThrows(AssertionError.class, () -> spec.when(new Deposit(1)).thenNoEvents());
        assertTrue(extra.getMessage().contains("expected 0 event(s)"), extra.getMessage());
        assertTrue(extra.getMessage().contains("- expected: (nothing)"), extra.getMessage());
    }

    @Test
    void expectingEventsWhenDecideThrewFailsWithTheCause() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> spec.when(new Withdraw(5)).then(new Withdrawn(5)));
        assertTrue(failure.getMessage().contains("decide threw " + InsufficientFunds.class.getName()),
                failure.getMessage());
        assertInstanceOf(InsufficientFunds.class, failure.getCause());
    }

    @Test
    void expectingAnErrorWhenTheCommandWasAcceptedFailsListingTheEvents() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> spec.given(new Deposited(10)).when(new Withdraw(5)).thenError(InsufficientFunds.class));
        assertTrue(failure.getMessage().contains("but the command was accepted with"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Withdrawn[amount=5]"), failure.getMessage());
    }

    @Test
    void expectingTheWrongErrorTypeFails() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> spec.when(new Withdraw(5)).thenError(IllegalArgumentException.class));
        assertTrue(failure.getMessage().contains(InsufficientFunds.class.getName()), failure.getMessage());
        assertInstanceOf(InsufficientFunds.class, failure.getCause());
    }

    @Test
    void expectingTheWrongErrorMessageFails() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> spec.when(new Withdraw(5)).thenError(InsufficientFunds.class, "overdrawn"));
        assertTrue(failure.getMessage().contains("\"overdrawn\""), failure.getMessage());
        assertTrue(failure.getMessage().contains("cannot cover 5"), failure.getMessage());
    }

    @Test
    void wrongStateFailsShowingBoth() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> spec.given(new Deposited(2)).when(new Deposit(3)).thenState(6L));
        assertTrue(failure.getMessage().contains("expected state: 6"), failure.getMessage());
        assertTrue(failure.getMessage().contains("actual state: 5"), failure.getMessage());
    }

    @Test
    void aDeciderReturningNullFailsTheScenario() {
        Decider<Long, Command, Event> broken = new Decider<>() {
            @Override
            public Long initialState() {
                return 0L;
            }

            @Override
            public List<Event> decide(Long state, Command command) {
                return null;
            }

            @Override
            public Long evolve(Long state, Event event) {
                return state;
            }
        };
        AssertionError failure = assertThrows(AssertionError.class,
                () -> DeciderSpec.of(broken).when(new Touch()));
        assertTrue(failure.getMessage().contains("returned null"), failure.getMessage());
    }

    @Test
    void failuresCarryExpectedAndActualForAnIdeDiff() {
        org.opentest4j.AssertionFailedError events = assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> spec.given(new Deposited(10)).when(new Deposit(5)).then(new Deposited(6)));
        assertEquals(List.of(new Deposited(6)), events.getExpected().getValue());
        assertEquals(List.of(new Deposited(5)), events.getActual().getValue());
        org.opentest4j.AssertionFailedError state = assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> spec.given(new Deposited(10)).when(new Deposit(5)).thenState(14L));
        assertEquals(14L, state.getExpected().getValue());
        assertEquals(15L, state.getActual().getValue());
    }
}
