package dev.eskit.jdbi;

import java.sql.Connection;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream type index on SQLite. */
class SqliteStreamTypeIndexTest extends StreamTypeIndexContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String eventsTable(Databases.Location location) {
        return "eskit_events";
    }

    @Override
    String plan(Connection raw, String events) throws Exception {
        try (var statement = raw.createStatement()) {
            statement.execute("ANALYZE");
        }
        return rows(raw, "EXPLAIN QUERY PLAN SELECT seq, data FROM " + events
                + " WHERE seq > 0 AND stream_type = 'rare' ORDER BY seq LIMIT 100");
    }
}
