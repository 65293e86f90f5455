package bad;

import dev.eskit.annotations.Event;

@Event
record CodecUnsupported(String id,
                        Object payload) {
}
