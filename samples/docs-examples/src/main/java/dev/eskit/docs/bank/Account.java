package dev.eskit.docs.bank;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import java.util.List;
import java.util.Optional;

/** docs/annotations.md, {@code @Decider}: every return form of {@code @Decide}. */
@Decider(stream = "account")
final class Account {
    private Account() {
    }

    @InitialState static AccountState initial() { return AccountState.UNOPENED; }

    @Decide static Optional<AccountOpened> open(AccountState s, OpenAccount c) {   // zero or one event
        return s.owner() == null ? Optional.of(new AccountOpened(c.accountId(), c.owner())) : Optional.empty();
    }

    @Decide static Deposited deposit(AccountState s, Deposit c) {                 // exactly one event
        return new Deposited(c.accountId(), c.amountCents());
    }

    @Decide static Withdrawn withdraw(AccountState s, Withdraw c) {
        if (c.amountCents() > s.balanceCents()) {
            throw new InsufficientFundsException(c.accountId(), s.balanceCents(), c.amountCents());
        }
        return new Withdrawn(c.accountId(), c.amountCents(), "withdrawal");
    }

    @Decide static List<AccountEvent> transfer(AccountState s, Transfer c) {      // any number
        if (c.amountCents() > s.balanceCents()) {
            throw new InsufficientFundsException(c.accountId(), s.balanceCents(), c.amountCents());
        }
        return List.of(new Withdrawn(c.accountId(), c.amountCents(), "transfer to " + c.toAccountId()));
    }

    @Decide static Deposited ping(Ping c) {                                        // state not needed
        return new Deposited(c.accountId(), 0);
    }

    @Evolve static AccountState opened(AccountState s, AccountOpened e) { return new AccountState(e.owner(), 0); }

    @Evolve static AccountState deposited(AccountState s, Deposited e) {
        return new AccountState(s.owner(), s.balanceCents() + e.amountCents());
    }

    @Evolve static AccountState withdrawn(AccountState s, Withdrawn e) {
        return new AccountState(s.owner(), s.balanceCents() - e.amountCents());
    }
}
