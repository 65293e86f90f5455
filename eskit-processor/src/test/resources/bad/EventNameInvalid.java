package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

@Event(name = "bank Deposited")
record EventNameInvalid(String id) {
}
