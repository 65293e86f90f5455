package dev.eskit.jdbi;

import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.Position;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.dcb.Tag;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * PostgreSQL's plain appends, alone or as a group, in one round trip: a single multi-statement string that begins the
 * transaction at READ COMMITTED, takes the stream locks of every member (sorted, so groups never deadlock each other),
 * the shared boundary keys of tagged events, and the store's horizon lock (all before the transaction has an id), then
 * runs one {@link #memberSql member statement} per append and commits.
 *
 * <p>Each member statement checks its own idempotency key, stream status and expected version inside SQL and writes
 * only when they pass; a refused member writes nothing and raises no error, so it never aborts the others in its
 * group. A member sees the writes of the members before it (later statements of one transaction), so two appends to
 * one stream in a group behave as if run one after the other.
 */
final class PostgresAppends {

    /** The most members in one group (the statement string grows with each). */
    static final int MAX_MEMBERS = 64;

    /** Member statement variants: bit 0 tags, bit 1 several events (arrays) instead of one (scalars). */
    private static final int TAGGED = 1;
    private static final int SEVERAL = 2;

    private final PostgresDialect sql;
    private final String[] members = new String[4];
    private final String prefix;
    private final String prefixShared;
    /** Composite strings of groups of plain members without shared keys, by size, built on first use. */
    private final String[] plainGroups = new String[MAX_MEMBERS + 1];
    /** Whole strings of one member with shared keys (every append has its event types' keys), by variant. */
    private final String[] singles = new String[4];
    /** The {@link #writeLone lone append}'s whole string: locks, one conditional update, one insert, commit. */
    private final String lone;

    PostgresAppends(PostgresDialect sql) {
        this.sql = sql;
        TableNames t = sql.tables;
        String locks = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(?, k)"
                + " FROM unnest(?::int[]) AS k;";
        this.prefix = locks + " " + PostgresHorizon.joinSql(t);
        this.prefixShared = locks + " SELECT pg_advisory_xact_lock_shared(u.k) FROM unnest(?::bigint[]) AS u(k); "
                + PostgresHorizon.joinSql(t);
        String head = t.render("WITH p AS (SELECT ?::text AS key, ?::text AS st, ?::text AS sid, ?::bigint AS n,"
                + " ?::bigint AS expected, ?::timestamptz AS at, ?::bytea AS md),"
                + " k AS (SELECT i.stream_type, i.stream_id, i.first_version, i.last_version FROM {idempotency} i, p"
                + " WHERE i.idempotency_key = p.key),"
                + " cur AS (SELECT s.version, s.status FROM {streams} s, p WHERE s.stream_type = p.st"
                + " AND s.stream_id = p.sid),"
                + " st AS (INSERT INTO {streams} AS s (stream_type, stream_id, version, status)"
                + " SELECT p.st, p.sid, p.n, 0 FROM p WHERE NOT EXISTS (SELECT 1 FROM k)"
                + " AND (p.expected <= 0 OR EXISTS (SELECT 1 FROM cur))"
                + " ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = s.version + excluded.version"
                + " WHERE s.status = 0 AND ((SELECT expected FROM p) < 0 OR s.version = (SELECT expected FROM p))"
                // RETURNING may not name "excluded": the version before is the new one less the event count.
                + " RETURNING s.version - (SELECT n FROM p) AS base),"
                + " seqs AS (SELECT array_agg(x ORDER BY x) AS a FROM (SELECT nextval('{q}events_seq') AS x"
                + " FROM st, p, generate_series(1, p.n)) q),"
                + " ev AS (INSERT INTO {events} (seq, id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data, codec) SELECT seqs.a[e.i], e.id, p.st, p.sid,"
                + " st.base + e.i, e.type, e.schema, p.at, p.md, e.data, e.codec FROM st, p, seqs,"
                + " {rows} RETURNING tx),"
                + " kk AS (INSERT INTO {idempotency} (idempotency_key, stream_type, stream_id, first_version,"
                + " last_version, created_at) SELECT p.key, p.st, p.sid, st.base + 1, st.base + p.n, p.at FROM st, p"
                + " WHERE p.key IS NOT NULL)");
        String tags = t.render(", tg AS (INSERT INTO {tags} (tag, event_type, tx, seq) SELECT g.tag, g.type,"
                + " pg_current_xact_id(), seqs.a[g.i] FROM st, seqs, unnest(?::text[], ?::text[], ?::int[])"
                + " AS g(tag, type, i))");
        String select = " SELECT (SELECT base FROM st), (SELECT version FROM cur), (SELECT status FROM cur),"
                + " k.stream_type, k.stream_id, k.first_version, k.last_version,"
                + " (SELECT tx::text::bigint FROM ev LIMIT 1), (SELECT a FROM seqs)"
                + " FROM (SELECT 1) AS one LEFT JOIN k ON true;";
        String one = "(SELECT ?::uuid AS id, ?::text AS type, ?::int AS schema, ?::bytea AS data, ?::text AS codec,"
                + " 1 AS i) AS e";
        String several = "unnest(?::uuid[], ?::text[], ?::int[], ?::bytea[], ?::text[]) WITH ORDINALITY"
                + " AS e(id, type, schema, data, codec, i)";
        members[0] = head.replace("{rows}", one) + select;
        members[TAGGED] = head.replace("{rows}", one) + tags + select;
        members[SEVERAL] = head.replace("{rows}", several) + select;
        members[SEVERAL | TAGGED] = head.replace("{rows}", several) + tags + select;
        for (int v = 0; v < members.length; v++) {
            singles[v] = prefixShared + " " + members[v] + " COMMIT";
        }
        // The commonest append (a command's: one event, no key, no tags, an existing stream at a known version):
        // the version and status checks are the update's WHERE, the insert is the statement's top level, so the
        // server runs one small plan instead of the CTE chain above (measured: about half the backend CPU of it).
        this.lone = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(?, ?);"
                + " SELECT pg_advisory_xact_lock_shared(u.k) FROM unnest(?::bigint[]) AS u(k); "
                + PostgresHorizon.joinSql(t) + t.render(" WITH st AS (UPDATE {streams} AS s SET version = s.version + 1"
                + " WHERE s.stream_type = ? AND s.stream_id = ? AND s.status = 0 AND s.version = ?"
                + " RETURNING s.version AS version) INSERT INTO {events} (seq, id, stream_type, stream_id, version,"
                + " event_type, schema_version, created_at, metadata, data, codec) SELECT nextval('{q}events_seq'),"
                + " ?::uuid, ?, ?, st.version, ?, ?, ?::timestamptz, ?::bytea, ?::bytea, ? FROM st"
                + " RETURNING tx::text::bigint, seq; COMMIT");
    }

    /**
     * Whether {@code group} is one append {@link #writeLone} can write: one event without tags, no idempotency key,
     * an expected version of at least 1 (the stream row exists when it is right), and no test hook.
     */
    static boolean lone(List<PendingAppend> group, AppendHook hook) {
        if (group.size() != 1 || hook != null) {
            return false;
        }
        PendingAppend member = group.get(0);
        return member.encoded.size() == 1 && !member.encoded.hasTags() && member.request.idempotencyKey() == null
                && member.request.expected() instanceof ExpectedVersion.Exactly exactly && exactly.version() > 0;
    }

    /**
     * Writes a {@link #lone} append: the stream lock, the shared boundary keys of its event type (so that a DCB
     * append whose condition covers the type waits for it), the horizon lock, the stream row's version raised by one
     * where its status is open and its version is the expected one, the event inserted from that row, commit. Returns
     * {@code false}, having written nothing, when the row was not updated (wrong version, closed or missing stream):
     * the caller then runs the general member statement, which tells why.
     */
    boolean writeLone(Connection connection, PendingAppend member) throws SQLException {
        EncodedAppend append = member.encoded;
        StreamRef stream = append.stream();
        try (PreparedStatement statement = connection.prepareStatement(lone)) {
            int i = 1;
            statement.setInt(i++, sql.lockSpace());
            statement.setInt(i++, sql.streamLockKey(stream)[1]);
            Long[] keys = new Long[member.sharedKeys.length];
            for (int k = 0; k < keys.length; k++) {
                keys[k] = member.sharedKeys[k];
            }
            statement.setArray(i++, connection.createArrayOf("int8", keys));
            statement.setString(i++, stream.type());
            statement.setString(i++, stream.id());
            statement.setLong(i++, ((ExpectedVersion.Exactly) member.request.expected()).version());
            statement.setObject(i++, append.id(0));
            statement.setString(i++, stream.type());
            statement.setString(i++, stream.id());
            statement.setString(i++, append.event(0).type());
            statement.setInt(i++, append.event(0).schemaVersion());
            sql.setInstant(statement, i++, append.timestamp());
            statement.setBytes(i++, append.metadata());
            statement.setBytes(i++, append.event(0).data());
            statement.setString(i, append.event(0).format());
            statement.execute();
            skipResults(statement, 4);
            try (ResultSet row = statement.getResultSet()) {
                if (row == null) {
                    throw new SQLException("The append statement for " + stream + " returned no result.");
                }
                if (!row.next()) {
                    return false;
                }
                long expected = ((ExpectedVersion.Exactly) member.request.expected()).version();
                member.written = new AppendTransaction.Written(expected,
                        new Position[] {new Position(row.getLong(1), row.getLong(2))});
            }
            statement.getMoreResults();
            return true;
        }
    }

    /**
     * Writes {@code group} on {@code connection} (not in auto-commit mode) and settles every member. With a test
     * {@code hook}, members run one statement at a time (each after a savepoint when there are several) so that the
     * hook runs inside the transaction and may refuse one member; the caller commits then.
     */
    void write(Connection connection, List<PendingAppend> group, AppendHook hook) throws SQLException {
        boolean shared = false;
        TreeSet<Integer> locks = new TreeSet<>();
        TreeSet<Long> keys = new TreeSet<>();
        for (PendingAppend member : group) {
            locks.add(sql.streamLockKey(member.request.stream())[1]);
            for (long key : member.sharedKeys) {
                keys.add(key);
                shared = true;
            }
        }
        if (hook != null) {
            writeWithHook(connection, group, hook, shared, locks, keys);
            return;
        }
        StringBuilder composite = null;
        String text = null;
        boolean plain = !shared;
        for (PendingAppend member : group) {
            plain &= variant(member) == 0;
        }
        if (plain) {
            text = plainGroups[group.size()];
            if (text == null) {
                composite = new StringBuilder(prefix);
                for (int i = 0; i < group.size(); i++) {
                    composite.append(' ').append(members[0]);
                }
                text = composite.append(" COMMIT").toString();
                plainGroups[group.size()] = text;
            }
        } else if (shared && group.size() == 1) {
            text = singles[variant(group.get(0))];
        } else {
            composite = new StringBuilder(shared ? prefixShared : prefix);
            for (PendingAppend member : group) {
                composite.append(' ').append(members[variant(member)]);
            }
            text = composite.append(" COMMIT").toString();
        }
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int index = bindPrefix(connection, statement, locks, shared ? keys : null);
            for (PendingAppend member : group) {
                index = bindMember(connection, statement, index, member);
            }
            statement.execute();
            skipResults(statement, shared ? 4 : 3);
            for (PendingAppend member : group) {
                settle(statement, member);
            }
        }
    }

    private void writeWithHook(Connection connection, List<PendingAppend> group, AppendHook hook, boolean shared,
                               TreeSet<Integer> locks, TreeSet<Long> keys) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(shared ? prefixShared : prefix)) {
            bindPrefix(connection, statement, locks, shared ? keys : null);
            statement.execute();
        }
        boolean several = group.size() > 1;
        for (PendingAppend member : group) {
            String text = (several ? "SAVEPOINT eskit_member; " : "")
                    + members[variant(member)];
            try (PreparedStatement statement = connection.prepareStatement(text)) {
                bindMember(connection, statement, 1, member);
                statement.execute();
                if (several) {
                    skipResults(statement, 1);
                }
                settle(statement, member);
            }
            if (member.written != null) {
                try {
                    hook.beforeCommit(member.request.stream());
                } catch (RuntimeException refused) {
                    if (!several) {
                        throw refused;
                    }
                    try (var undo = connection.createStatement()) {
                        undo.execute("ROLLBACK TO SAVEPOINT eskit_member");
                    }
                    member.written = null;
                    member.refused = refused;
                }
            }
        }
    }

    private static int variant(PendingAppend member) {
        return (member.encoded.hasTags() ? TAGGED : 0) | (member.encoded.size() > 1 ? SEVERAL : 0);
    }

    private int bindPrefix(Connection connection, PreparedStatement statement, TreeSet<Integer> locks,
                           TreeSet<Long> keys) throws SQLException {
        statement.setInt(1, sql.lockSpace());
        statement.setArray(2, connection.createArrayOf("int4", locks.toArray(new Integer[0])));
        if (keys == null) {
            return 3;
        }
        statement.setArray(3, connection.createArrayOf("int8", keys.toArray(new Long[0])));
        return 4;
    }

    private int bindMember(Connection connection, PreparedStatement statement, int first, PendingAppend member)
            throws SQLException {
        EncodedAppend append = member.encoded;
        ExpectedVersion expected = member.request.expected();
        int i = first;
        statement.setString(i++, member.request.idempotencyKey());
        statement.setString(i++, append.stream().type());
        statement.setString(i++, append.stream().id());
        statement.setLong(i++, append.size());
        statement.setLong(i++, expected instanceof ExpectedVersion.Exactly exactly ? exactly.version()
                : expected == ExpectedVersion.noStream() ? 0 : -1);
        sql.setInstant(statement, i++, append.timestamp());
        statement.setBytes(i++, append.metadata());
        int count = append.size();
        if (count == 1) {
            statement.setObject(i++, append.id(0));
            statement.setString(i++, append.event(0).type());
            statement.setInt(i++, append.event(0).schemaVersion());
            statement.setBytes(i++, append.event(0).data());
            statement.setString(i++, append.event(0).format());
        } else {
            i = bindArrays(connection, statement, i, append);
        }
        if (append.hasTags()) {
            i = bindTags(connection, statement, i, append);
        }
        return i;
    }

    private static int bindArrays(Connection connection, PreparedStatement statement, int first, EncodedAppend append)
            throws SQLException {
        int i = first;
        int count = append.size();
        UUID[] ids = new UUID[count];
        String[] types = new String[count];
        Integer[] schemas = new Integer[count];
        byte[][] data = new byte[count][];
        String[] codecs = new String[count];
        for (int e = 0; e < count; e++) {
            ids[e] = append.id(e);
            types[e] = append.event(e).type();
            schemas[e] = append.event(e).schemaVersion();
            data[e] = append.event(e).data();
            codecs[e] = append.event(e).format();
        }
        statement.setArray(i++, connection.createArrayOf("uuid", ids));
        statement.setArray(i++, connection.createArrayOf("text", types));
        statement.setArray(i++, connection.createArrayOf("int4", schemas));
        statement.setObject(i++, data);
        statement.setArray(i++, connection.createArrayOf("text", codecs));
        return i;
    }

    private static int bindTags(Connection connection, PreparedStatement statement, int first, EncodedAppend append)
            throws SQLException {
        List<String> tags = new ArrayList<>();
        List<String> tagTypes = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (int e = 0; e < append.size(); e++) {
            for (Tag tag : append.tags(e)) {
                tags.add(tag.value());
                tagTypes.add(append.event(e).type());
                indexes.add(e + 1);
            }
        }
        statement.setArray(first, connection.createArrayOf("text", tags.toArray()));
        statement.setArray(first + 1, connection.createArrayOf("text", tagTypes.toArray()));
        statement.setArray(first + 2, connection.createArrayOf("int4", indexes.toArray()));
        return first + 3;
    }

    private static void skipResults(PreparedStatement statement, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            statement.getMoreResults();
        }
    }

    /** Reads a member statement's row (the current result) and moves to the next result. */
    private static void settle(PreparedStatement statement, PendingAppend member) throws SQLException {
        StreamRef stream = member.request.stream();
        try (ResultSet row = statement.getResultSet()) {
            if (row == null || !row.next()) {
                throw new SQLException("The append statement for " + stream + " returned no row.");
            }
            long base = row.getLong(1);
            boolean written = !row.wasNull();
            long version = row.getLong(2);
            int status = row.getInt(3);
            String keyType = row.getString(4);
            if (written) {
                long tx = row.getLong(8);
                Array array = row.getArray(9);
                Object[] values = (Object[]) array.getArray();
                array.free();
                long[] sequences = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    sequences[i] = ((Number) values[i]).longValue();
                }
                Arrays.sort(sequences);
                Position[] positions = new Position[sequences.length];
                for (int i = 0; i < sequences.length; i++) {
                    positions[i] = new Position(tx, sequences[i]);
                }
                member.written = new AppendTransaction.Written(base, positions);
            } else if (keyType != null) {
                StreamRef first = StreamRef.of(keyType, row.getString(5));
                String key = member.request.idempotencyKey();
                member.refused = first.equals(stream) ? new AppendTransaction.DuplicateAppend(row.getLong(6),
                        row.getLong(7))
                        : new IdempotencyKeyReusedException("Idempotency key \"" + key + "\" was first used for"
                        + " stream " + first + ", not " + stream + ". Use a key that identifies one operation on one"
                        + " stream.");
            } else if (status == Dialect.TOMBSTONED) {
                member.refused = new StreamTombstonedException(stream);
            } else if (status == Dialect.ARCHIVED) {
                member.refused = new StreamArchivedException(stream);
            } else {
                member.refused = new ConcurrencyException(stream, member.request.expected(), version);
            }
        }
        statement.getMoreResults();
    }
}
