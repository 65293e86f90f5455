package dev.eskit.samples.springbank;

import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandResult;
import dev.eskit.samples.bank.Balances;
import dev.eskit.samples.bank.Deposit;
import dev.eskit.samples.bank.OpenAccount;
import dev.eskit.samples.bank.Withdraw;
import dev.eskit.spring.EskitSubscriptions;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** Sends the bank's commands and reads the balances projection. */
@Service
public class BankService {

    private final CommandBus bus;
    private final Balances balances;
    private final EskitSubscriptions subscriptions;

    /** Created by Spring with the starter's beans. */
    public BankService(CommandBus bus, Balances balances, EskitSubscriptions subscriptions) {
        this.bus = bus;
        this.balances = balances;
        this.subscriptions = subscriptions;
    }

    /** Opens an account; returns the position of the last event appended (none when it was already open). */
    public Position open(String accountId, String owner) {
        return last(bus.send(new OpenAccount(accountId, owner)));
    }

    /** Pays money in. */
    public Position deposit(String accountId, long amountCents) {
        return last(bus.send(new Deposit(accountId, amountCents)));
    }

    /** Takes money out; the decider refuses an overdraft with {@code InsufficientFundsException}. */
    public Position withdraw(String accountId, long amountCents, String reason) {
        return last(bus.send(new Withdraw(accountId, amountCents, reason)));
    }

    /** Moves money: a withdrawal naming the target, turned into a deposit by the transfers automation. */
    public String transfer(String from, String to, long amountCents) {
        String transferId = "transfer-" + UUID.randomUUID();
        CommandContext context = CommandContext.of(Metadata.correlatedBy(transferId)
                .with(SpringBankApplication.TRANSFER_TO, to));
        bus.send(new Withdraw(from, amountCents, "transfer to " + to), context);
        return transferId;
    }

    /**
     * Every balance, once the projection has seen {@code after} (when given; for read-your-writes), waiting at most
     * two seconds.
     */
    public Map<String, Long> balances(Position after) {
        if (after != null) {
            Subscription projection = subscriptions.find("balances").orElseThrow();
            projection.awaitPosition(after, Duration.ofSeconds(2));
        }
        synchronized (balances) {
            return balances.all();
        }
    }

    private static Position last(CommandResult<?, ?> result) {
        return result.events().isEmpty() ? null : result.events().get(result.events().size() - 1).position();
    }
}
