package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

@Event(name = "bank.Same")
record First(String id) {
}

@Event(name = "bank.Same") // second
record Second(String id) {
}
