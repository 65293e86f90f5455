package dev.eskit.jdbi;

import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.Position;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.dcb.Tag;
import dev.eskit.internal.Ids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL's plain appends, alone or as a group, in one round trip: a single multi-statement string, run in
 * auto-commit mode, that begins the transaction at READ COMMITTED ({@link #BEGIN}), takes in one statement the stream
 * locks of every member (sorted, so groups never deadlock each other), the shared boundary keys of the events, and
 * the store's horizon lock (all before the transaction has an id, {@link PostgresLocks}), then runs one member
 * statement per append (or the {@link #writeLean lean statement} for a lone plain append) and commits.
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
    static final int SEVERAL = 2;

    /**
     * Starts an append's own transaction, at READ COMMITTED whatever the pool's default (the statements after the
     * locks must see what the locks' previous holders committed): one statement where pgjdbc's implicit {@code BEGIN}
     * and a {@code SET TRANSACTION} were two. The strings that start with it run on a connection in auto-commit mode.
     */
    static final String BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED;";

    /**
     * The append's timestamp from a bigint parameter, microseconds since 1970 ({@link #micros}): sent in binary, where
     * a {@code timestamptz} parameter costs pgjdbc a text rendering per append. Exact: the product is an integer below
     * 2^53 (until the year 2255), which {@code interval * float8} keeps.
     */
    static final String AT = "(timestamptz 'epoch' + ?::bigint * interval '1 microsecond')";

    /**
     * The rows of several events from their arrays, in order, with their ordinal {@code i} (1-based): the ids come
     * as one {@code bytea} of 16 bytes per event ({@link #bindArrays}: pgjdbc sends a {@code byte[]} in binary, where a
     * {@code uuid[]} parameter is a text literal the client renders and the server parses), the types, schema
     * versions, data and codecs as arrays. Columns: id, type, schema, data, codec, i.
     */
    static final String EVENT_ROWS = "SELECT encode(substring(b.ids FROM u.i::int * 16 - 15 FOR 16), 'hex')"
            + "::uuid AS id, u.type, u.schema, u.data, u.codec, u.i FROM (SELECT ?::bytea AS ids) AS b,"
            + " unnest(?::text[], ?::int[], ?::bytea[], ?::text[]) WITH ORDINALITY AS u(type, schema, data, codec, i)";

    private final PostgresDialect sql;
    private final String[] members = new String[4];
    /** {@link #BEGIN}, then every lock of a group in one statement ({@link PostgresLocks#groupSql}). */
    private final String prefix;
    /** The locks of a group for a transaction pgjdbc began (the test hook's path): isolation level, then locks. */
    private final String hookPrefix;
    /** Composite strings of groups of untagged one-event members, by size, built on first use. */
    private final String[] plainGroups = new String[MAX_MEMBERS + 1];
    /** Whole strings of one member, by variant and the form of its locks' keys ({@link PostgresLocks#keyForm}). */
    private final String[][] singles = new String[4][PostgresLocks.KEY_FORMS];
    /** The lean statements of a lone command-shaped append ({@link #writeLean}). */
    private final PostgresLeanAppends leanAppends;

    /**
     * A test seam: runs after a string ending in {@code COMMIT} has executed without error and before its results
     * are read; when it throws, reading the result failed after the commit. {@code null} outside tests.
     */
    @FunctionalInterface
    interface ResultFault {
        /** Called once per executed string; throw to make reading its result fail. */
        void beforeReading() throws SQLException;
    }

    /** The {@link ResultFault} tests set; {@code null} (nothing runs) otherwise. */
    volatile ResultFault resultFault;

    PostgresAppends(PostgresDialect sql) {
        this.sql = sql;
        TableNames t = sql.tables;
        this.prefix = BEGIN + " " + PostgresLocks.groupSql(t);
        this.hookPrefix = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; " + PostgresLocks.groupSql(t);
        String head = t.render("WITH p AS (SELECT ?::text AS key, ?::text AS st, ?::text AS sid, ?::bigint AS n,"
                + " ?::bigint AS expected, " + AT + " AS at, ?::bytea AS md),"
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
                + " (SELECT tx::text::bigint FROM ev LIMIT 1),"
                // The sequence numbers (sorted): only the first when the others follow it without a gap.
                + " (SELECT CASE WHEN a[cardinality(a)] - a[1] + 1 = cardinality(a) THEN NULL ELSE a END FROM seqs),"
                + " (SELECT a[1] FROM seqs)"
                + " FROM (SELECT 1) AS one LEFT JOIN k ON true;";
        String one = "(SELECT ?::uuid AS id, ?::text AS type, ?::int AS schema, ?::bytea AS data, ?::text AS codec,"
                + " 1 AS i) AS e";
        String several = "(" + EVENT_ROWS + ") AS e";
        members[0] = head.replace("{rows}", one) + select;
        members[TAGGED] = head.replace("{rows}", one) + tags + select;
        members[SEVERAL] = head.replace("{rows}", several) + select;
        members[SEVERAL | TAGGED] = head.replace("{rows}", several) + tags + select;
        for (int form = 0; form < PostgresLocks.KEY_FORMS; form++) {
            String locks = BEGIN + " " + PostgresLocks.streamSql(t, form) + " ";
            for (int v = 0; v < members.length; v++) {
                singles[v][form] = locks + members[v] + " COMMIT";
            }
        }
        this.leanAppends = new PostgresLeanAppends(sql, this);
    }


    /**
     * Whether {@code group} is one append {@link #writeLean} can write: events without tags, no idempotency key, an
     * expected version of at least 1 (the stream row exists when it is right) or "no stream", and no test hook.
     */
    static boolean lean(List<PendingAppend> group, AppendHook hook) {
        return group.size() == 1 && hook == null && leanMember(group.get(0));
    }

    /**
     * Whether {@code member} can be written by the lean statements ({@link #writeLean}, or a group's
     * {@link PostgresGroupAppends}): events without tags, no idempotency key, an expected version of at least 1 or
     * "no stream".
     */
    static boolean leanMember(PendingAppend member) {
        ExpectedVersion expected = member.request.expected();
        return !member.encoded.hasTags() && member.request.idempotencyKey() == null
                && (expected instanceof ExpectedVersion.Exactly exactly && exactly.version() > 0
                || expected == ExpectedVersion.noStream());
    }

    /**
     * Writes a {@link #lean} append on {@code connection} with {@link PostgresLeanAppends#write}: returns
     * {@code false}, having written nothing, when the lean statement had no stream row to write from.
     * {@code readCommitted}: the connection's transactions are READ COMMITTED without a {@code BEGIN} saying so (the
     * store's own pool), so the append can be one auto-commit statement.
     *
     * @throws AppendOutcomeUnknownException when the outcome is unknown (see {@link PostgresLeanAppends#write})
     */
    boolean writeLean(Connection connection, PendingAppend member, boolean readCommitted) throws SQLException {
        return leanAppends.write(connection, member, readCommitted);
    }

    /**
     * Fills {@code positions} (in version order) from one result row: {@code sequences}, all of them in order, or
     * when it is {@code null} the first one and the next ones following it without a gap.
     */
    static void fill(Position[] positions, long tx, long first, Array sequences) throws SQLException {
        if (sequences == null) {
            for (int i = 0; i < positions.length; i++) {
                positions[i] = new Position(tx, first + i);
            }
            return;
        }
        Object[] values = (Object[]) sequences.getArray();
        sequences.free();
        if (values.length != positions.length) {
            throw new SQLException("The append statement returned " + values.length + " sequence numbers for "
                    + positions.length + " events.");
        }
        for (int i = 0; i < values.length; i++) {
            positions[i] = new Position(tx, ((Number) values[i]).longValue());
        }
    }

    /** Runs the test's {@link #resultFault}, if any. */
    void faultBeforeReading() throws SQLException {
        ResultFault fault = resultFault;
        if (fault != null) {
            fault.beforeReading();
        }
    }

    /**
     * Runs a string that ends with {@code COMMIT}. An error from the server that reached the client aborted the
     * transaction before its {@code COMMIT} ran, or was the {@code COMMIT}'s own: nothing was written. A lost
     * connection leaves the outcome unknown: the server may have committed before the client heard of it.
     */
    static void execute(PreparedStatement statement, List<PendingAppend> group) throws SQLException {
        try {
            statement.execute();
        } catch (SQLException failure) {
            if (AppendOutcomeUnknownException.connectionLost(failure)) {
                throw AppendOutcomeUnknownException.lost(group, failure);
            }
            throw failure;
        }
    }

    /**
     * Writes {@code group} on {@code connection} (in auto-commit mode: the string begins and commits its own
     * transaction) and settles every member.
     *
     * @throws AppendOutcomeUnknownException when the connection failed after the string was sent or the results
     *                                       could not be read after the commit
     */
    void write(Connection connection, List<PendingAppend> group) throws SQLException {
        boolean plain = true;
        for (PendingAppend member : group) {
            plain &= variant(member) == 0;
        }
        String text;
        boolean alone = group.size() == 1;
        if (alone) {
            text = singles[variant(group.get(0))][PostgresLocks.keyForm(group.get(0).sharedKeys)];
        } else if (plain) {
            text = plainGroups[group.size()];
            if (text == null) {
                StringBuilder composite = new StringBuilder(prefix);
                for (int i = 0; i < group.size(); i++) {
                    composite.append(' ').append(members[0]);
                }
                text = composite.append(" COMMIT").toString();
                plainGroups[group.size()] = text;
            }
        } else {
            StringBuilder composite = new StringBuilder(prefix);
            for (PendingAppend member : group) {
                composite.append(' ').append(members[variant(member)]);
            }
            text = composite.append(" COMMIT").toString();
        }
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int index = alone ? PostgresLocks.bindStream(statement, 1, sql, group.get(0).request.stream(),
                    group.get(0).sharedKeys) : PostgresLocks.bindGroup(statement, sql, group);
            for (PendingAppend member : group) {
                index = bindMember(connection, statement, index, member);
            }
            execute(statement, group);
            try {
                faultBeforeReading();
                skipResults(statement, 2);
                for (PendingAppend member : group) {
                    settle(statement, member);
                }
            } catch (SQLException | RuntimeException unread) {
                throw AppendOutcomeUnknownException.unread(group, unread);
            }
        }
    }

    /**
     * Writes {@code group} with a test {@code hook} on {@code connection}, inside a transaction pgjdbc began (not in
     * auto-commit mode): members run one statement at a time (each after a savepoint when there are several) so that
     * the hook runs inside the transaction and may refuse one member; the caller commits.
     */
    void writeWithHook(Connection connection, List<PendingAppend> group, AppendHook hook) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(hookPrefix)) {
            PostgresLocks.bindGroup(statement, sql, group);
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

    /** {@link #BEGIN}, then every lock of a group in one statement ({@link PostgresLocks#groupSql}). */
    String prefix() {
        return prefix;
    }

    /** The general member statement of {@code variant} (see {@link #variant}), for strings built around it. */
    String member(int variant) {
        return members[variant];
    }

    /** The member statement variant of {@code member}: bit 0 tags, bit 1 several events. */
    static int variant(PendingAppend member) {
        return (member.encoded.hasTags() ? TAGGED : 0) | (member.encoded.size() > 1 ? SEVERAL : 0);
    }

    int bindMember(Connection connection, PreparedStatement statement, int first, PendingAppend member)
            throws SQLException {
        return bindRows(connection, statement, bindHead(statement, first, member), member);
    }

    /** Binds the member statement's first CTE ({@code p}): key, stream, count, expected version, time, metadata. */
    static int bindHead(PreparedStatement statement, int first, PendingAppend member) throws SQLException {
        EncodedAppend append = member.encoded;
        ExpectedVersion expected = member.request.expected();
        int i = first;
        statement.setString(i++, member.request.idempotencyKey());
        statement.setString(i++, append.stream().type());
        statement.setString(i++, append.stream().id());
        statement.setLong(i++, append.size());
        statement.setLong(i++, expected instanceof ExpectedVersion.Exactly exactly ? exactly.version()
                : expected == ExpectedVersion.noStream() ? 0 : -1);
        statement.setLong(i++, micros(append.timestamp()));
        statement.setBytes(i++, append.metadata());
        return i;
    }

    /** Binds the member statement's events (scalars for one, {@link #EVENT_ROWS} for several) and tags. */
    static int bindRows(Connection connection, PreparedStatement statement, int first, PendingAppend member)
            throws SQLException {
        EncodedAppend append = member.encoded;
        int i = first;
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

    /** Microseconds since 1970 of {@code instant} (appends' timestamps are whole microseconds), for {@link #AT}. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /**
     * Binds the events' columns for {@link #EVENT_ROWS}: the ids as one {@code byte[]} of 16 bytes each (big-endian
     * halves), the schema versions as an {@code int[]} and the data as a {@code byte[][]}, which pgjdbc sends in
     * binary, the types and codecs as {@code String[]}.
     */
    static int bindArrays(Connection connection, PreparedStatement statement, int first, EncodedAppend append)
            throws SQLException {
        int i = first;
        int count = append.size();
        byte[] ids = new byte[count * 16];
        String[] types = new String[count];
        int[] schemas = new int[count];
        byte[][] data = new byte[count][];
        String[] codecs = new String[count];
        for (int e = 0; e < count; e++) {
            UUID id = append.id(e);
            Ids.put(id, ids, e * 16);
            types[e] = append.event(e).type();
            schemas[e] = append.event(e).schemaVersion();
            data[e] = append.event(e).data();
            codecs[e] = append.event(e).format();
        }
        statement.setBytes(i++, ids);
        statement.setObject(i++, types);
        statement.setObject(i++, schemas);
        statement.setObject(i++, data);
        statement.setObject(i++, codecs);
        return i;
    }

    private static int bindTags(Connection connection, PreparedStatement statement, int first, EncodedAppend append)
            throws SQLException {
        int count = 0;
        for (int e = 0; e < append.size(); e++) {
            count += append.tags(e).size();
        }
        String[] tags = new String[count];
        String[] tagTypes = new String[count];
        int[] indexes = new int[count];
        int t = 0;
        for (int e = 0; e < append.size(); e++) {
            for (Tag tag : append.tags(e)) {
                tags[t] = tag.value();
                tagTypes[t] = append.event(e).type();
                indexes[t++] = e + 1;
            }
        }
        // Primitive and String arrays: pgjdbc sends the int[] in binary (createArrayOf built text literals).
        statement.setObject(first, tags);
        statement.setObject(first + 1, tagTypes);
        statement.setObject(first + 2, indexes);
        return first + 3;
    }

    static void skipResults(PreparedStatement statement, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            statement.getMoreResults();
        }
    }

    /** Reads a member statement's row (the current result) and moves to the next result. */
    static void settle(PreparedStatement statement, PendingAppend member) throws SQLException {
        try (ResultSet row = statement.getResultSet()) {
            if (row == null || !row.next()) {
                throw new SQLException("The append statement for " + member.request.stream() + " returned no row.");
            }
            settleRow(row, member);
        }
        statement.getMoreResults();
    }

    /** Reads a member statement's row: what was written, or why the member was refused. */
    static void settleRow(ResultSet row, PendingAppend member) throws SQLException {
        StreamRef stream = member.request.stream();
        {
            long base = row.getLong(1);
            boolean written = !row.wasNull();
            long version = row.getLong(2);
            int status = row.getInt(3);
            String keyType = row.getString(4);
            if (written) {
                // seqs.a is sorted and the i-th event took its i-th element: version order.
                Position[] positions = new Position[member.encoded.size()];
                fill(positions, row.getLong(8), row.getLong(10), row.getArray(9));
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
    }
}
