package dev.eskit.jdbi;

import dev.eskit.Decider;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import java.util.List;

/** Commands on the test accounts, for the command log and queue tests. */
final class CommandDomain {

    sealed interface Command permits Deposit, Withdraw {
    }

    record Deposit(String account, long cents) implements Command {
    }

    record Withdraw(String account, long cents) implements Command {
    }

    static final Decider<Long, Command, Object> DECIDER = Decider.of(() -> 0L, (Long balance, Command c) -> {
        if (c instanceof Deposit d) {
            return List.<Object>of(new Deposited(d.account(), d.cents()));
        }
        Withdraw w = (Withdraw) c;
        if (balance < w.cents()) {
            throw new IllegalStateException("balance " + balance + " is below " + w.cents());
        }
        return List.<Object>of(new Withdrawn(w.account(), w.cents()));
    }, (Long balance, Object e) -> e instanceof Deposited d ? balance + d.cents() : balance - ((Withdrawn) e).cents());

    static final CommandTypes TYPES = CommandTypes.of(
            CommandType.of("test.Deposit", Deposit.class),
            CommandType.of("test.Withdraw", Withdraw.class));

    static List<CommandRoute<?, ?, ?>> routes() {
        return List.of(
                CommandRoute.of(Deposit.class, "account", Deposit::account, DECIDER),
                CommandRoute.of(Withdraw.class, "account", Withdraw::account, DECIDER));
    }

    private CommandDomain() {
    }
}
