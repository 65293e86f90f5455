package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

@Event(name = "bank.Old")
record Current(String id) {
}

@Event(name = "bank.Other", aliases = {"bank.Old"})
record Other(String id) {
}
