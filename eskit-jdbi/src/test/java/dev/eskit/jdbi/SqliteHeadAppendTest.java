package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The append at a known last event on SQLite: one event at a time (the lean statement's form with the id's check). */
class SqliteHeadAppendTest extends HeadAppendContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void severalEventsAreNotAppendedThisWayOnSqlite() {
        JdbiEventStore store = DB.newStore();
        StreamRef stream = StreamRef.of("head", "several");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("head", 0, 0, 1, "a")));
        assertFalse(store.appendAtHead(request(stream, 1, new Marked("head", 0, 0, 1, "b"),
                new Marked("head", 0, 0, 1, "c")), store.load(stream).get(0).id()).isPresent());
        assertEquals(1, store.streamVersion(stream));
    }
}
