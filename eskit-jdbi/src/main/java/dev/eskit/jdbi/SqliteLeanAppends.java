package dev.eskit.jdbi;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQLite's lean append: the commonest append (one event, no tags, no idempotency key, to a stream that has events, at
 * a known version or any) as one {@code INSERT} ({@link SqliteDialect#leanInsertSql}) that reads the stream's version
 * (the highest of its events', from the unique (stream, version) index) and its status and writes the event row, and
 * nothing else: no stream row written, no {@code BEGIN} and no {@code COMMIT} when it is alone (an auto-commit
 * statement takes the database's write lock for itself). Where the statement inserts nothing (the stream is new,
 * closed, or at another version) the caller runs the general steps, which say why or write the append. An append at a
 * known last event ({@link PendingAppend#head}) has its own form of the statement, which also checks that event's id,
 * and never runs the general steps.
 */
final class SqliteLeanAppends {

    private final Database db;
    private final SqliteDialect sql;

    SqliteLeanAppends(Database db, SqliteDialect sql) {
        this.db = db;
        this.sql = sql;
    }

    /**
     * Whether {@code member} can try the lean statement: one event without tags, no key, an expected version of at
     * least 1 or any; and no test hook (it runs before a commit the lean statement does not have).
     */
    static boolean eligible(PendingAppend member, AppendHook hook) {
        ExpectedVersion expected = member.request.expected();
        return hook == null && member.encoded.size() == 1 && !member.encoded.hasTags()
                && member.request.idempotencyKey() == null
                && (expected instanceof ExpectedVersion.Exactly exactly && exactly.version() > 0
                        || expected == ExpectedVersion.any());
    }

    /**
     * Runs the lean statement for an {@link #eligible} member on {@code connection} (in auto-commit mode or inside the
     * group's transaction) and returns whether it wrote the event; if so, {@code member.written} holds it.
     */
    boolean write(Connection connection, PendingAppend member) throws SQLException {
        EncodedAppend append = member.encoded;
        long expected = member.request.expected() instanceof ExpectedVersion.Exactly exactly ? exactly.version() : -1;
        PreparedStatement insert = db.prepare(connection, member.head != null ? sql.leanHeadInsertSql
                : sql.leanInsertSql);
        try {
            // The one-row insert's parameters, with the expected version where the version goes.
            sql.bindEvent(insert, 1, append, 0, expected);
            if (member.head != null) {
                sql.setUuid(insert, 11, member.head);
            }
            try (ResultSet row = insert.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                member.written = new AppendTransaction.Written(row.getLong(2) - 1,
                        new Position[] {Position.of(row.getLong(1))});
                return true;
            }
        } finally {
            db.release(insert);
        }
    }
}
