package bad;

import dev.eskit.StoredEvent;
import dev.eskit.annotations.*;
import java.util.List;
import java.util.Optional;

final class Outer {
    @Event
    private record Hidden(String id) {
    }
}
