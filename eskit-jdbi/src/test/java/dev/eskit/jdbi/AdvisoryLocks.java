package dev.eskit.jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PostgreSQL's advisory locks as {@code pg_locks} shows them, for tests of lock order. */
final class AdvisoryLocks {

    private AdvisoryLocks() {
    }

    /** Takes the session-level advisory lock on the pair of ints {@code (space, key)} on {@code holder}. */
    static void lock(Connection holder, int space, int key) throws Exception {
        try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            lock.setInt(1, space);
            lock.setInt(2, key);
            lock.execute();
        }
    }

    /** Takes the session-level advisory lock on the bigint {@code key} on {@code holder}. */
    static void lock(Connection holder, long key) throws Exception {
        try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, key);
            lock.execute();
        }
    }

    /** The advisory locks backend {@code pid} holds, as (classid, objid, objsubid), sorted. */
    static List<List<Long>> held(Connection connection, int pid) throws Exception {
        try (PreparedStatement query = connection.prepareStatement("SELECT classid::bigint, objid::bigint,"
                + " objsubid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = ?"
                + " ORDER BY 1, 2, 3")) {
            query.setInt(1, pid);
            try (var rows = query.executeQuery()) {
                List<List<Long>> held = new ArrayList<>();
                while (rows.next()) {
                    held.add(List.of(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
                }
                return held;
            }
        }
    }

    /** Waits (30 s at most) for a backend to wait for the bigint advisory lock {@code key}; returns its pid. */
    static int awaitWaiter(Connection connection, long key) throws Exception {
        return awaitWaiter(connection, key >>> 32, key & 0xffffffffL, 1);
    }

    /**
     * Waits (30 s at most) for a backend to wait for the advisory lock (classid, objid, objsubid: 1 for a bigint key,
     * 2 for a pair of ints); returns its pid.
     */
    static int awaitWaiter(Connection connection, long classid, long objid, int objsubid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_locks WHERE locktype ="
                + " 'advisory' AND NOT granted AND classid::bigint = ? AND objid::bigint = ? AND objsubid = ?")) {
            query.setLong(1, classid);
            query.setLong(2, objid);
            query.setInt(3, objsubid);
            while (System.nanoTime() < deadline) {
                try (var rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getInt(1);
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no backend waited for advisory lock (" + classid + ", " + objid + ", " + objsubid
                + ") within 30 s");
    }
}
