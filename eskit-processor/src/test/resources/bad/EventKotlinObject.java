package bad;

import dev.eskit.annotations.*;

// kapt's stub of an `object EventKotlinObject`: no public constructor for the codec.
@kotlin.Metadata(k = 1)
@Event
public final class EventKotlinObject {
    public static final EventKotlinObject INSTANCE = new EventKotlinObject();

    private EventKotlinObject() {
    }
}
