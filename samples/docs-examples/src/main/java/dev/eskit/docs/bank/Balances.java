package dev.eskit.docs.bank;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.Handle;
import dev.eskit.annotations.Projection;
import java.util.Map;
import java.util.TreeMap;

/** docs/annotations.md, {@code @Projection}: the balance of every account. */
@Projection(name = "balances")
public final class Balances {
    private static final Map<String, Long> OPENED = new TreeMap<>();
    private final Map<String, Long> balances = new TreeMap<>();
    private long lastWithdrawalVersion;

    /** The balances by account id, in cents. */
    public synchronized Map<String, Long> all() {
        return Map.copyOf(balances);
    }

    /** The stream version of the last withdrawal seen. */
    public synchronized long lastWithdrawalVersion() {
        return lastWithdrawalVersion;
    }

    /** Accounts opened, seen by the static handler (shared by every instance). */
    public static synchronized Map<String, Long> openedAccounts() {
        return Map.copyOf(OPENED);
    }

    /** Forgets everything, for a rebuild. */
    public synchronized void clear() {
        balances.clear();
        lastWithdrawalVersion = 0;
    }

    @Handle synchronized void deposited(Deposited e) { balances.merge(e.accountId(), e.amountCents(), Long::sum); }

    @Handle synchronized void withdrawn(Withdrawn e, StoredEvent<Withdrawn> stored) {   // with position, metadata...
        balances.merge(e.accountId(), -e.amountCents(), Long::sum);
        lastWithdrawalVersion = stored.version();
    }

    @Handle static synchronized void opened(AccountOpened e) { OPENED.put(e.accountId(), 0L); }
}
