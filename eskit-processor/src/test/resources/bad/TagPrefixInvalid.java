package bad;

import dev.eskit.annotations.*;

@Event
record Labelled(
        @Tag("course id") String courseId) {
}
