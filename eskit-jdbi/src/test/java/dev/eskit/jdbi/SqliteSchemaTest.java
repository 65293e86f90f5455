package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteSchemaTest extends SchemaContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String folder() {
        return "sqlite";
    }

    @Override
    String schemaOf(Databases.Location location) {
        return "";
    }

    /**
     * Opening a store on tables that have every version reads their versions and writes nothing, so it does not wait
     * for another process's write transaction (it failed with SQLITE_BUSY after the busy timeout; found by an outside
     * trial).
     */
    @Test
    void openingMigratedTablesAgainNeedsNoWriteLock() throws Exception {
        Databases.Location location = DB.newLocation();
        StreamRef stream = StreamRef.of("account", "a-1");
        try (JdbiEventStore first = location.builder(TestEvents.codec()).build()) {
            first.append(stream, ExpectedVersion.noStream(), List.of(new TestEvents.Deposited("a-1", 5)));
        }
        try (Connection writer = location.rawConnection(); Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try (JdbiEventStore again = location.builder(TestEvents.codec())
                    .busyTimeout(Duration.ofMillis(200)).build()) {
                assertEquals(1, again.load(stream).size());
            }
            statement.execute("ROLLBACK");
        }
    }
}
