package com.acme.bank;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.Handle;
import dev.eskit.annotations.Projection;
import java.util.Map;
import java.util.TreeMap;

@Projection(name = "balances")
final class Balances {

    final Map<String, Long> byAccount = new TreeMap<>();

    @Handle
    void on(Deposited event) {
        byAccount.merge(event.accountId(), event.amountCents(), Long::sum);
    }

    @Handle
    void on(Withdrawn event, StoredEvent<Withdrawn> stored) {
        byAccount.merge(stored.streamId(), -event.amountCents(), Long::sum);
    }

    @Handle
    static void opened(AccountOpened event) {
    }
}
