package bad;

import dev.eskit.annotations.*;

// kapt's stub of an `open class EventKotlinClass(val id: String)`: open, so a subclass could add properties.
@kotlin.Metadata(k = 1)
@Event
public class EventKotlinClass {
    private final String id;

    public EventKotlinClass(String id) {
        this.id = id;
    }

    public final String getId() {
        return id;
    }
}
