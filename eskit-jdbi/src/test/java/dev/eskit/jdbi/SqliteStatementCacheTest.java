package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.jdbi.sqlite.Synchronous;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite engine keeps prepared statements per connection. It hands them back without clearing their parameters:
 * SQLite marks a statement whose bindings were cleared as expired and parses and plans it again on its next run, which
 * made every stream load pay for a fresh prepare. Every use binds all parameters again, so nothing stale is read.
 */
class SqliteStatementCacheTest {

    @TempDir
    Path dir;

    @Test
    void keptStatementsAreHandedBackWithoutClearingTheirParameters() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("cache.db"), null, null, "eskit_",
                Synchronous.NORMAL, Duration.ofSeconds(5), 2)) {
            for (boolean onWriter : new boolean[] {true, false}) {
                Database.Work<Long> work = handle -> {
                    PreparedStatement first = db.prepare(handle.getConnection(), "SELECT ? + 0");
                    first.setLong(1, 42);
                    try (ResultSet row = first.executeQuery()) {
                        row.next();
                        assertEquals(42, row.getLong(1));
                    }
                    db.release(first);
                    PreparedStatement again = db.prepare(handle.getConnection(), "SELECT ? + 0");
                    // The same kept statement, its parameter still bound (cleared, it would read NULL, 0 here).
                    try (ResultSet row = again.executeQuery()) {
                        row.next();
                        return row.getLong(1);
                    } finally {
                        db.release(again);
                    }
                };
                long value = onWriter ? db.write(work) : db.read(work);
                assertEquals(42, value, onWriter ? "writer" : "reader");
            }
        }
    }
}
