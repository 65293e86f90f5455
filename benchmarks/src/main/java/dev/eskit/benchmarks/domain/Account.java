package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import java.util.List;

/** The benchmark decider; the processor generates {@code AccountDecider}. Public so baselines call it directly. */
@Decider(stream = "account")
public final class Account {

    private Account() {
    }

    /** The initial state. */
    @InitialState
    public static AccountState initial() {
        return AccountState.INITIAL;
    }

    /** Deposits. */
    @Decide
    public static Deposited deposit(AccountState state, Deposit command) {
        return new Deposited(command.accountId(), command.amountCents(), "ref", 1_700_000_000_000L);
    }

    /** Decides nothing. */
    @Decide
    public static List<AccountEvent> inspect(AccountState state, Inspect command) {
        return List.of();
    }

    /** Opens. */
    @Evolve
    public static AccountState opened(AccountState state, Opened event) {
        return new AccountState(event.owner(), 0, 0);
    }

    /** Adds. */
    @Evolve
    public static AccountState deposited(AccountState state, Deposited event) {
        return new AccountState(state.owner(), state.balanceCents() + event.amountCents(), state.operations() + 1);
    }

    /** Subtracts. */
    @Evolve
    public static AccountState withdrawn(AccountState state, Withdrawn event) {
        return new AccountState(state.owner(), state.balanceCents() - event.amountCents(), state.operations() + 1);
    }
}
