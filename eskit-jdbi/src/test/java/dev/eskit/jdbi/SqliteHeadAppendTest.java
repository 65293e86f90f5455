package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SQLite has no append at a known last event yet: it says so, and such an append writes nothing. */
class SqliteHeadAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Test
    void saysItCannotAndWritesNothing() {
        JdbiEventStore store = DB.newStore();
        StreamRef stream = StreamRef.of("head", "s-1");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("head", 0, 0, 1, "a")));
        assertFalse(store.appendsAtHead());
        assertFalse(store.appendAtHead(new AppendRequest(stream, ExpectedVersion.exactly(1),
                List.of(new Marked("head", 0, 0, 1, "b")), Metadata.empty(), null),
                store.load(stream).get(0).id()).isPresent());
        assertEquals(1, store.streamVersion(stream));
    }
}
