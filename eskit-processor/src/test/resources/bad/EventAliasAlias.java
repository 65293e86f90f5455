package bad;

import dev.eskit.annotations.*;

@Event(name = "bank.First", aliases = {"bank.Former"})
record First(String id) {
}

@Event(name = "bank.Second", aliases = {"bank.Former"})
record Second(String id) {
}
