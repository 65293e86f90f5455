package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

@Event
record Deposited(String id) {
}

@Projection
final class HandleSignature {
    @Handle int on(Deposited event) { return 1; }
}
