package dev.eskit.jdbi.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.jdbi.TableNames;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite connection settings the store relies on. */
class SqliteDialectTest {

    @TempDir
    Path directory;

    private static long pragma(Handle handle, String name) throws SQLException {
        try (Statement statement = handle.getConnection().createStatement();
             ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void theWriterUsesNormalSynchronousByDefaultAndEveryConnectionHasTheBusyTimeout() throws SQLException {
        try (SqliteDialect dialect = SqliteDialect.open("jdbc:sqlite:" + directory.resolve("a.db"),
                TableNames.of(null, "eskit_"), Synchronous.NORMAL, Duration.ofMillis(4321), 2)) {
            assertEquals(1L, (long) dialect.inTransaction(handle -> pragma(handle, "synchronous")), "NORMAL is 1");
            assertEquals(4321L, (long) dialect.inTransaction(handle -> pragma(handle, "busy_timeout")));
            assertEquals(4321L, (long) dialect.read(handle -> pragma(handle, "busy_timeout")));
            assertEquals(1L, (long) dialect.read(handle -> pragma(handle, "query_only")), "readers are read-only");
        }
    }

    @Test
    void fullSynchronousCanBeChosen() throws SQLException {
        try (SqliteDialect dialect = SqliteDialect.open("jdbc:sqlite:" + directory.resolve("b.db"),
                TableNames.of(null, "eskit_"), Synchronous.FULL, Duration.ofSeconds(1), 2)) {
            assertEquals(2L, (long) dialect.inTransaction(handle -> pragma(handle, "synchronous")), "FULL is 2");
        }
    }
}
