package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.internal.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQLite append's event rows: one event with {@code INSERT … RETURNING seq}; several, on the store's writer, as
 * several-rows inserts whose shared values are bound once; several on a connection of the application's as a JDBC
 * batch of the one-row insert. One writer holds the database lock, so an append's rows get consecutive sequence
 * numbers in the order they are inserted.
 */
final class SqliteEventInserts {

    /**
     * The most event data one several-rows insert takes (else its rows go one by one, where a row's own cost is small
     * next to its bytes): a kept statement holds its last values until its next use, in the JDBC driver and in SQLite,
     * so this bounds what the writer's kept statements hold to about 3 MB (22 row counts, two variants).
     */
    static final int MAX_STATEMENT_DATA = 64 * 1024;

    private final Database db;
    private final SqliteDialect sql;

    SqliteEventInserts(Database db, SqliteDialect sql) {
        this.db = db;
        this.sql = sql;
    }

    /**
     * Inserts the events after version {@code baseVersion} and returns their positions; {@code keepsStatements}: the
     * connection keeps its prepared statements (the store's writer), so several-rows statements pay off.
     */
    Position[] insert(Connection connection, long baseVersion, EncodedAppend append, boolean keepsStatements)
            throws SQLException {
        int count = append.size();
        long last;
        if (count == 1) {
            PreparedStatement insert = db.prepare(connection, sql.insertReturningSql);
            try {
                sql.bindEvent(insert, 1, append, 0, baseVersion + 1);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    last = row.getLong(1);
                }
            } finally {
                db.release(insert);
            }
        } else {
            long before = -1;
            if (keepsStatements) {
                before = insertRows(connection, baseVersion, append);
            } else {
                // A connection of the application's: nothing is kept on it, so the one-row statement prepared once.
                insertBatch(connection, baseVersion, append, 0, append.size());
            }
            last = before >= 0 ? before + count : lastInsertRowid(connection);
        }
        // One writer holds the database lock, so the batch got consecutive sequence numbers ending at `last`.
        Position[] positions = new Position[count];
        for (int i = 0; i < count; i++) {
            positions[i] = Position.of(last - count + 1 + i);
        }
        return positions;
    }

    /**
     * The events as several-rows inserts ({@link SqliteDialect#rowsPerStatement}), their rows' shared values bound once
     * per statement: against one execution per event, SQLite starts fewer statements and fewer values cross JNI.
     * The sequence number before the first event is read once and bound (each row takes it plus its offset).
     *
     * @return the sequence number before the first event (read once: the append holds the write lock), or -1 on tables
     *         from before schema version 11, where {@code AUTOINCREMENT} numbers them
     */
    private long insertRows(Connection connection, long baseVersion, EncodedAppend append) throws SQLException {
        long seqBefore = -1;
        String lastSeqSql = sql.lastSeqSql();
        if (lastSeqSql != null) {
            // The append holds the write lock: no one else numbers events until it commits.
            PreparedStatement lastSeq = db.prepare(connection, lastSeqSql);
            try (ResultSet row = lastSeq.executeQuery()) {
                row.next();
                seqBefore = row.getLong(1);
            } finally {
                db.release(lastSeq);
            }
        }
        EncodedEvent first = append.event(0);
        boolean uniform = true;
        for (int i = 1; i < append.size() && uniform; i++) {
            EncodedEvent event = append.event(i);
            uniform = event.type().equals(first.type()) && event.schemaVersion() == first.schemaVersion()
                    && event.format().equals(first.format());
        }
        long micros = Dialect.toMicros(append.timestamp());
        for (int from = 0; from < append.size(); ) {
            int rows = SqliteDialect.rowsPerStatement(append.size() - from);
            if (rows == 1 || dataBytes(append, from, rows) > MAX_STATEMENT_DATA) {
                // One event left (an append of 17, 33, ...), or large events: the one-row statement.
                insertBatch(connection, baseVersion, append, from, rows);
                from += rows;
                continue;
            }
            PreparedStatement insert = db.prepare(connection, sql.insertRowsSql(rows, uniform));
            try {
                insert.setString(1, append.stream().type());
                insert.setString(2, append.stream().id());
                insert.setLong(3, micros);
                insert.setBytes(4, append.metadata());
                insert.setLong(5, baseVersion + from);
                insert.setLong(6, seqBefore + from);
                int index;
                if (uniform) {
                    insert.setString(7, first.type());
                    insert.setInt(8, first.schemaVersion());
                    insert.setString(9, first.format());
                    index = SqliteDialect.UNIFORM_SHARED + 1;
                    for (int i = from; i < from + rows; i++) {
                        insert.setBytes(index++, Ids.bytes(append.id(i)));
                        insert.setBytes(index++, append.event(i).data());
                    }
                } else {
                    index = SqliteDialect.SHARED + 1;
                    for (int i = from; i < from + rows; i++) {
                        EncodedEvent event = append.event(i);
                        insert.setBytes(index++, Ids.bytes(append.id(i)));
                        insert.setString(index++, event.type());
                        insert.setInt(index++, event.schemaVersion());
                        insert.setBytes(index++, event.data());
                        insert.setString(index++, event.format());
                    }
                }
                insert.executeUpdate();
            } finally {
                db.release(insert);
            }
            from += rows;
        }
        return seqBefore;
    }

    /** The sequence number of the connection's last inserted row. */
    private long lastInsertRowid(Connection connection) throws SQLException {
        PreparedStatement lastRow = db.prepare(connection, "SELECT last_insert_rowid()");
        try (ResultSet row = lastRow.executeQuery()) {
            row.next();
            return row.getLong(1);
        } finally {
            db.release(lastRow);
        }
    }

    private static long dataBytes(EncodedAppend append, int from, int count) {
        long bytes = 0;
        for (int i = from; i < from + count; i++) {
            bytes += append.event(i).data().length;
        }
        return bytes;
    }

    /** Events {@code from} to {@code from + count - 1} as one JDBC batch of the one-row insert. */
    private void insertBatch(Connection connection, long baseVersion, EncodedAppend append, int from, int count)
            throws SQLException {
        PreparedStatement insert = db.prepare(connection, sql.insertSql);
        try {
            for (int i = from; i < from + count; i++) {
                sql.bindEvent(insert, 1, append, i, baseVersion + i + 1);
                insert.addBatch();
            }
            insert.executeBatch();
        } finally {
            db.release(insert);
        }
    }
}
