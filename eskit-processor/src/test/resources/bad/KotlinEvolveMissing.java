package bad;

import dev.eskit.annotations.*;
import java.util.List;

// kapt's stubs of a Kotlin decider over a sealed event interface (sealed only in its @kotlin.Metadata, copied from
// kotlinc's output with the names changed) that forgets one event.
@kotlin.Metadata(mv = {2, 2, 0}, k = 1, xi = 48, d1 = {"\u0000\u0012\n\u0002\u0018\u0002\n\u0002\u0010\u0000\n\u0002\u0018\u0002\n\u0002\u0018\u0002\n\u0000\bv\u0018\u00002\u00020\u0001\u0082\u0001\u0002\u0002\u0003\u00a8\u0006\u0004\u00c0\u0006\u0003"}, d2 = {"Lbad/KotlinEvent;", "", "Lbad/Removed;", "Lbad/Added;", "eskit-sample-kotlin-shop"})
interface KotlinEvent {
}

@kotlin.Metadata(k = 1)
@Event
final class Added implements KotlinEvent {
    public Added(String id) {
    }

    public final String getId() {
        return "";
    }
}

@kotlin.Metadata(k = 1)
@Event
final class Removed implements KotlinEvent {
    public Removed(String id) {
    }

    public final String getId() {
        return "";
    }
}

@kotlin.Metadata(k = 1)
final class Add {
    public Add(@StreamId String id) {
    }

    public final String getId() {
        return "";
    }
}

@kotlin.Metadata(k = 1)
@Decider(stream = "kotlin")
final class KotlinEvolveMissing {
    @InitialState
    public final Integer initial() {
        return 0;
    }

    @Decide
    public final Added add(Integer state, Add command) {
        return new Added("a");
    }

    @Evolve
    public final Integer added(Integer state, Added event) {
        return state + 1;
    }
}
