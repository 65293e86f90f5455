package dev.eskit.jdbi;

import java.sql.Connection;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream type index on PostgreSQL. */
class PostgresStreamTypeIndexTest extends StreamTypeIndexContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String eventsTable(Databases.Location location) {
        return location + "events";
    }

    @Override
    String plan(Connection raw, String events) throws Exception {
        try (var statement = raw.createStatement()) {
            statement.execute("ANALYZE " + events);
        }
        return rows(raw, "EXPLAIN SELECT seq, data FROM " + events + " WHERE (tx, seq) > ('0'::text::xid8, 0)"
                + " AND tx < pg_snapshot_xmin(pg_current_snapshot()) AND stream_type = 'rare' ORDER BY tx, seq"
                + " LIMIT 100");
    }
}
