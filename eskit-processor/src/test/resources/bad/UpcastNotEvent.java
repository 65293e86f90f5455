package bad;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.*;

record Deposit(String id, long amount) {
}

@Event
record Deposited(String id, long amount) {
}

final class DepositUpcasts {
    @Upcast(event = Deposit.class, from = 1)
    static ObjectNode addCurrency(ObjectNode v1) {
        return v1.put("currency", "EUR");
    }
}
