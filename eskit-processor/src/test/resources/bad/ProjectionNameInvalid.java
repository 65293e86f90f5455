package bad;

import dev.eskit.annotations.*;

@Event
record Deposited(String id) {
}

@Projection(name = " balances")
final class ProjectionNameInvalid {
    @Handle void on(Deposited event) { }
}
