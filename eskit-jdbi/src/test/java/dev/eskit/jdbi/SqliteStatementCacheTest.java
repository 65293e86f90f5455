package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.eskit.jdbi.sqlite.Synchronous;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * A stream load while a write runs takes a reader connection straight from the store's pool (no Jdbi handle), and
     * its statements are kept there like those of any other read; an idle writer's own connection serves it
     * otherwise.
     */
    @Test
    void aLoadDuringAWriteUsesAReaderConnectionAndKeepsItsStatements() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("busy.db"), null, null, "eskit_",
                Synchronous.NORMAL, Duration.ofSeconds(5), 1)) {
            Database.ConnectionWork<PreparedStatement> load = connection -> {
                PreparedStatement statement = db.prepare(connection, "SELECT ? + 0");
                statement.setLong(1, 7);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    assertEquals(7, row.getLong(1));
                }
                db.release(statement);
                return statement;
            };
            Database.ConnectionWork<Boolean> queryOnly = connection -> {
                try (java.sql.Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("PRAGMA query_only")) {
                    return row.next() && row.getInt(1) == 1;
                }
            };
            assertEquals(false, db.readStream(queryOnly), "idle: the writer's connection");
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            CompletableFuture<Object> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return db.write(handle -> {
                        writing.countDown();
                        try {
                            return done.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                writing.await(30, TimeUnit.SECONDS);
                assertEquals(true, db.readStream(queryOnly), "busy: a reader connection of the pool");
                PreparedStatement first = db.readStream(load);
                assertSame(first, db.readStream(load), "the reader's statement is kept");
            } finally {
                done.countDown();
            }
            assertEquals(true, write.get(30, TimeUnit.SECONDS));
            assertNotSame(db.readStream(load), null);
        }
    }
}
