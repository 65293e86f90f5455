package com.acme.bank;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.StreamId;
import java.util.List;
import java.util.Optional;

@Decider(stream = "account")
final class Account {

    @InitialState
    static AccountState initial() {
        return AccountState.NEW;
    }

    @StreamId
    static String streamId(OpenAccount command) {
        return command.owner() + "-" + command.number();
    }

    @Decide
    static List<AccountEvent> open(AccountState state, OpenAccount command) {
        return List.of(new AccountOpened(streamId(command), command.owner()));
    }

    @Decide
    static Deposited deposit(Deposit command) {
        return new Deposited(command.accountId(), command.amountCents());
    }

    @Decide
    Withdrawn withdraw(AccountState state, Withdraw command) {
        if (state.balanceCents() < command.amountCents()) {
            throw new IllegalStateException("insufficient funds");
        }
        return new Withdrawn(command.accountId(), command.amountCents(), "atm");
    }

    @Decide
    static Optional<AccountClosed> close(AccountState state, CloseAccount command) {
        return state.open() ? Optional.of(new AccountClosed(command.accountId().toString())) : Optional.empty();
    }

    @Evolve
    static AccountState opened(AccountState state, AccountOpened event) {
        return new AccountState(true, 0);
    }

    @Evolve
    static AccountState deposited(AccountState state, Deposited event) {
        return new AccountState(state.open(), state.balanceCents() + event.amountCents());
    }

    @Evolve
    AccountState withdrawn(AccountState state, Withdrawn event) {
        return new AccountState(state.open(), state.balanceCents() - event.amountCents());
    }

    @Evolve
    static AccountState closed(AccountState state, AccountClosed event) {
        return new AccountState(false, state.balanceCents());
    }
}
