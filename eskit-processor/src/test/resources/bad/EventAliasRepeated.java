package bad;

import dev.eskit.annotations.*;

@Event(name = "bank.Same", aliases = {"bank.Old", "bank.Same"})
record Renamed(String id) {
}
