package dev.eskit.samples.bank;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.Handle;
import dev.eskit.annotations.Projection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The balance of every account, built from the global log by the generated {@code BalancesHandlers}. Safe to read
 * while a subscription updates it (the live page does).
 */
@Projection(name = "balances")
public final class Balances {

    private final Map<String, Long> balances = new ConcurrentSkipListMap<>();
    private volatile long lastVersionSeen;

    /** The balance of every account, in cents, by account id. */
    public Map<String, Long> all() {
        return Map.copyOf(balances);
    }

    /** The stream version of the last withdrawal seen (shows the {@code StoredEvent} parameter). */
    public long lastWithdrawalVersion() {
        return lastVersionSeen;
    }

    @Handle
    void opened(AccountOpened event) {
        balances.put(event.accountId(), 0L);
    }

    @Handle
    void deposited(Deposited event) {
        balances.merge(event.accountId(), event.amountCents(), Long::sum);
    }

    @Handle
    void withdrawn(Withdrawn event, StoredEvent<Withdrawn> stored) {
        balances.merge(event.accountId(), -event.amountCents(), Long::sum);
        lastVersionSeen = stored.version();
    }
}
