package dev.eskit.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fair write queues of this process, one per database file: every writer of eskit's on a single-writer database (SQLite)
 * takes its turn on the file's queue, first come first served, before it asks the database for its write lock. The
 * database's own wait for that lock only polls, so without a queue a thread that commits and at once begins again
 * keeps the file to itself.
 */
public final class WriteQueues {

    private static final ConcurrentHashMap<String, ReentrantLock> QUEUES = new ConcurrentHashMap<>();

    private WriteQueues() {
    }

    /**
     * The fair queue of the database file at {@code file} (the absolute path the database reports), shared by every
     * caller in this process; a new queue of its own for an empty {@code file} (a database without a file).
     */
    public static ReentrantLock of(String file) {
        Objects.requireNonNull(file, "file");
        return file.isEmpty() ? new ReentrantLock(true) : QUEUES.computeIfAbsent(file, key -> new ReentrantLock(true));
    }

    /**
     * The fair queue of the SQLite database file {@code connection} writes to (its {@code main} database, as
     * {@code PRAGMA database_list} reports it); a new queue of its own for a database without a file.
     */
    public static ReentrantLock of(Connection connection) throws SQLException {
        String file = "";
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA database_list")) {
            while (rows.next()) {
                if ("main".equals(rows.getString("name")) && rows.getString("file") != null) {
                    file = rows.getString("file");
                }
            }
        }
        return of(file);
    }
}
