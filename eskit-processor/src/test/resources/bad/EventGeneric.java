package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

@Event
record EventGeneric<T>(T value) {
}
