package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

@Event
record Deposited(String id) {
}

@Event
record Withdrawn(String id) {
}

@Projection
final class StoredEventWrongType {
    @Handle void on(Deposited event, StoredEvent<Withdrawn> stored) { }
}
