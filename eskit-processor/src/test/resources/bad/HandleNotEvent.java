package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

record Deposit(String id) {
}

@Event
record Deposited(String id) {
}

@Projection
final class HandleNotEvent {
    @Handle void on(Deposit event) { }
}
