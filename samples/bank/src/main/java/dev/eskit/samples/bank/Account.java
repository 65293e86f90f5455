package dev.eskit.samples.bank;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import java.util.Optional;

/** The account decider: pure functions the processor wires into {@code AccountDecider}. */
@Decider(stream = "account")
final class Account {

    private Account() {
    }

    @InitialState
    static AccountState initial() {
        return AccountState.UNOPENED;
    }

    @Decide
    static Optional<AccountOpened> open(AccountState state, OpenAccount command) {
        if (!state.isOpen()) {
            return Optional.of(new AccountOpened(command.accountId(), command.owner()));
        }
        if (state.owner().equals(command.owner())) {
            return Optional.empty(); // opening twice is harmless
        }
        throw new AccountRejectedException("Account " + command.accountId() + " is already open for another owner");
    }

    @Decide
    static Deposited deposit(AccountState state, Deposit command) {
        requireOpen(state, command.accountId());
        requirePositive(command.amountCents());
        return new Deposited(command.accountId(), command.amountCents());
    }

    @Decide
    static Withdrawn withdraw(AccountState state, Withdraw command) {
        requireOpen(state, command.accountId());
        requirePositive(command.amountCents());
        if (command.amountCents() > state.balanceCents()) {
            throw new InsufficientFundsException(command.accountId(), state.balanceCents(), command.amountCents());
        }
        return new Withdrawn(command.accountId(), command.amountCents(), command.reason());
    }

    @Evolve
    static AccountState opened(AccountState state, AccountOpened event) {
        return new AccountState(event.owner(), 0);
    }

    @Evolve
    static AccountState deposited(AccountState state, Deposited event) {
        return new AccountState(state.owner(), state.balanceCents() + event.amountCents());
    }

    @Evolve
    static AccountState withdrawn(AccountState state, Withdrawn event) {
        return new AccountState(state.owner(), state.balanceCents() - event.amountCents());
    }

    private static void requireOpen(AccountState state, String accountId) {
        if (!state.isOpen()) {
            throw new AccountRejectedException("Account " + accountId + " is not open; open it first");
        }
    }

    private static void requirePositive(long amountCents) {
        if (amountCents <= 0) {
            throw new AccountRejectedException("Amounts must be more than zero, got " + amountCents);
        }
    }
}
