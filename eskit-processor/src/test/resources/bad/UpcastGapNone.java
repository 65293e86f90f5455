package bad;

import dev.eskit.annotations.*;

@Event(version = 2)
record Withdrawn(String id, long amount, String reason) {
}
