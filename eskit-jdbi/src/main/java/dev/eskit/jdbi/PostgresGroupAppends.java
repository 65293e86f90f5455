package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.internal.Ids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL's group of several plain appends in one round trip, the commonest members written by one statement
 * whose text does not depend on the group ({@link #groupSql}): the group's {@link PostgresAppends#BEGIN}, every lock
 * of the group in one statement ({@link PostgresLocks#groupSql}, unchanged: stream locks sorted, shared boundary
 * keys sorted, horizon lock last, all before the transaction has an id), the group statement, then one general member
 * statement for each member it cannot take, and {@code COMMIT}.
 *
 * <p>The group statement takes the group's leading run of {@link PostgresAppends#leanMember lean} members (no tags, no
 * idempotency key, a known version or a new stream) on distinct streams: it raises each existing stream's version
 * where the row is open and at the expected version ({@code UPDATE … FROM unnest(…)}), inserts each new stream's row
 * unless it exists ({@code INSERT … ON CONFLICT DO NOTHING}), and inserts the events of the members whose row it
 * wrote, in one
 * multi-row {@code INSERT}. Sequence numbers: as many {@code nextval} calls as events written, sorted
 * ({@code array_agg(… ORDER BY …)}), the k-th smallest to the k-th event in (member, version) order; so each stream's
 * events follow their versions and each member's events are consecutive, whatever order PostgreSQL evaluates the
 * calls in. A member whose row it did not write wrote nothing: it is {@link PendingAppend#settleAlone left} to its own
 * thread, which runs the general statement alone afterwards (a new transaction, the same locks) to learn why, while the
 * others already have their results. From the first member it cannot take (a second member on a stream, a tagged or
 * keyed member, an expected version of "any") on, the members go to the general statements after the group statement,
 * in the same transaction: they see its writes, and the group's events stay in queue order.
 *
 * <p>An append at a known last event ({@link PendingAppend#head}: a warm command of a handler with a state cache) in
 * the leading run gets the lean statement's check in the group statement: its stream row is written only if the
 * stream's event at the expected version has that id; if not, it wrote nothing and is {@link PendingAppend#missedHead
 * missed} (its thread reads and decides again). One after the leading run is left to its thread, which writes it
 * alone with the lean statement's form that has the check: the general statements have none.
 */
final class PostgresGroupAppends {

    private final PostgresDialect sql;
    private final PostgresAppends appends;
    /** The group statement ({@link #groupSql}). */
    private final String statementSql;
    /** The whole string of a group whose members are all in the group statement: the same text for every size. */
    private final String leanOnly;

    PostgresGroupAppends(PostgresDialect sql, PostgresAppends appends) {
        this.sql = sql;
        this.appends = appends;
        this.statementSql = groupSql(sql.tables);
        this.leanOnly = appends.prefix() + " " + statementSql + " COMMIT";
    }

    /**
     * The group statement. Parameters: the members' stream types, stream ids, expected versions (0 for a new stream),
     * event counts, timestamps (microseconds, {@link PostgresAppends#micros}), metadata and known last events' ids
     * ({@link PendingAppend#head}, null for a plain append), as arrays in member order;
     * then the events' member indexes (1-based), versions within their member (1-based), types, schema versions, data
     * and codecs, as arrays in (member, version) order; then the events' ids, 16 bytes each in one {@code bytea}. One
     * result row: the transaction id, the first sequence number, all of them sorted when they do not follow one
     * another without a gap (else null), the indexes of the members written (sorted) and their versions before.
     */
    static String groupSql(TableNames t) {
        return t.render("WITH m AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[],"
                + " ?::bytea[], ?::uuid[]) WITH ORDINALITY AS m(st, sid, expected, n, at, md, hd, k)),"
                + " up AS (UPDATE {streams} AS s SET version = s.version + m.n FROM m WHERE m.expected > 0"
                + " AND s.stream_type = m.st AND s.stream_id = m.sid AND s.status = 0 AND s.version = m.expected"
                // An append at a known last event: only if the stream's event at the expected version is that one.
                + " AND (m.hd IS NULL OR EXISTS (SELECT 1 FROM {events} AS h WHERE h.stream_type = m.st"
                + " AND h.stream_id = m.sid AND h.version = m.expected AND h.id = m.hd))"
                + " RETURNING m.k, s.version - m.n AS base),"
                + " ins AS (INSERT INTO {streams} AS s (stream_type, stream_id, version, status)"
                + " SELECT m.st, m.sid, m.n, 0 FROM m WHERE m.expected = 0"
                + " ON CONFLICT (stream_type, stream_id) DO NOTHING RETURNING s.stream_type, s.stream_id),"
                + " w AS (SELECT up.k, up.base FROM up UNION ALL SELECT m.k, 0::bigint FROM ins JOIN m"
                + " ON m.expected = 0 AND m.st = ins.stream_type AND m.sid = ins.stream_id),"
                + " x AS (SELECT u.i, u.j, u.type, u.schema, u.data, u.codec, w.k, w.base,"
                + " row_number() OVER (ORDER BY u.i) AS r FROM unnest(?::int[], ?::int[], ?::text[], ?::int[],"
                + " ?::bytea[], ?::text[]) WITH ORDINALITY AS u(mk, j, type, schema, data, codec, i)"
                + " JOIN w ON w.k = u.mk),"
                + " seqs AS (SELECT array_agg(z.q ORDER BY z.q) AS a FROM (SELECT nextval('{q}events_seq') AS q"
                + " FROM x) AS z),"
                + " ev AS (INSERT INTO {events} (seq, id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data, codec) SELECT seqs.a[x.r],"
                + " encode(substring(b.ids FROM x.i::int * 16 - 15 FOR 16), 'hex')::uuid, m.st, m.sid,"
                + " x.base + x.j, x.type, x.schema, timestamptz 'epoch' + m.at * interval '1 microsecond', m.md,"
                + " x.data, x.codec FROM x JOIN m ON m.k = x.k, seqs, (SELECT ?::bytea AS ids) AS b RETURNING tx)"
                + " SELECT (SELECT tx::text::bigint FROM ev LIMIT 1), (SELECT a[1] FROM seqs),"
                + " (SELECT CASE WHEN a[cardinality(a)] - a[1] + 1 = cardinality(a) THEN NULL ELSE a END FROM seqs),"
                + " (SELECT array_agg(w.k ORDER BY w.k) FROM w), (SELECT array_agg(w.base ORDER BY w.k) FROM w);");
    }

    /**
     * Writes {@code group} (several members) on {@code connection} (in auto-commit mode) and settles every member,
     * or leaves it {@link PendingAppend#settleAlone to its thread}. Returns {@code false}, having sent nothing, when
     * no member is {@link PostgresAppends#leanMember lean} (the caller writes the group with the general statements).
     *
     * @throws AppendOutcomeUnknownException when the connection failed after the string was sent or the results
     *                                       could not be read after the commit
     */
    boolean write(Connection connection, List<PendingAppend> group) throws SQLException {
        List<PendingAppend> lean = new ArrayList<>(group.size());
        List<PendingAppend> rest = new ArrayList<>();
        List<PendingAppend> sent = new ArrayList<>(group.size());
        Set<StreamRef> streams = new HashSet<>();
        for (PendingAppend member : group) {
            // The leading run of lean members on distinct streams (one UPDATE can't write a row twice); from the
            // first other member on, the general statements, so the group's appends stay in queue order.
            if (rest.isEmpty() && PostgresAppends.leanMember(member) && streams.add(member.request.stream())) {
                lean.add(member);
                sent.add(member);
            } else if (member.head != null) {
                // The general statements have no last event's check: its own thread writes it alone afterwards,
                // with the lean statement's form that has one.
                member.settleAlone = true;
            } else {
                rest.add(member);
                sent.add(member);
            }
        }
        if (lean.isEmpty()) {
            return false;
        }
        String text = leanOnly;
        if (!rest.isEmpty()) {
            StringBuilder composite = new StringBuilder(appends.prefix()).append(' ').append(statementSql);
            for (PendingAppend member : rest) {
                composite.append(' ').append(appends.member(PostgresAppends.variant(member)));
            }
            text = composite.append(" COMMIT").toString();
        }
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int index = PostgresLocks.bindGroup(statement, sql, sent);
            index = bind(statement, index, lean);
            for (PendingAppend member : rest) {
                index = appends.bindMember(connection, statement, index, member);
            }
            PostgresAppends.execute(statement, sent);
            try {
                appends.faultBeforeReading();
                PostgresAppends.skipResults(statement, 2);
                settle(statement, lean);
                for (PendingAppend member : rest) {
                    PostgresAppends.settle(statement, member);
                }
            } catch (SQLException | RuntimeException unread) {
                throw AppendOutcomeUnknownException.unread(sent, unread);
            }
        }
        return true;
    }

    /** Binds {@link #groupSql}'s parameters for {@code lean}, from {@code first}; returns the next index. */
    private static int bind(PreparedStatement statement, int first, List<PendingAppend> lean) throws SQLException {
        int members = lean.size();
        String[] types = new String[members];
        String[] ids = new String[members];
        long[] expected = new long[members];
        long[] counts = new long[members];
        long[] at = new long[members];
        byte[][] metadata = new byte[members][];
        UUID[] heads = new UUID[members];
        int events = 0;
        for (int k = 0; k < members; k++) {
            EncodedAppend append = lean.get(k).encoded;
            types[k] = append.stream().type();
            ids[k] = append.stream().id();
            expected[k] = lean.get(k).request.expected() instanceof dev.eskit.ExpectedVersion.Exactly exactly
                    ? exactly.version() : 0;
            counts[k] = append.size();
            at[k] = PostgresAppends.micros(append.timestamp());
            metadata[k] = append.metadata();
            heads[k] = lean.get(k).head;
            events += append.size();
        }
        int[] member = new int[events];
        int[] version = new int[events];
        String[] eventTypes = new String[events];
        int[] schemas = new int[events];
        byte[][] data = new byte[events][];
        String[] codecs = new String[events];
        byte[] eventIds = new byte[events * 16];
        int e = 0;
        for (int k = 0; k < members; k++) {
            EncodedAppend append = lean.get(k).encoded;
            for (int v = 0; v < append.size(); v++, e++) {
                member[e] = k + 1;
                version[e] = v + 1;
                eventTypes[e] = append.event(v).type();
                schemas[e] = append.event(v).schemaVersion();
                data[e] = append.event(v).data();
                codecs[e] = append.event(v).format();
                UUID id = append.id(v);
                Ids.put(id, eventIds, e * 16);
            }
        }
        // Primitive, String and byte[][] arrays: pgjdbc sends them in binary.
        int i = first;
        statement.setObject(i++, types);
        statement.setObject(i++, ids);
        statement.setObject(i++, expected);
        statement.setObject(i++, counts);
        statement.setObject(i++, at);
        statement.setObject(i++, metadata);
        statement.setArray(i++, statement.getConnection().createArrayOf("uuid", heads));
        statement.setObject(i++, member);
        statement.setObject(i++, version);
        statement.setObject(i++, eventTypes);
        statement.setObject(i++, schemas);
        statement.setObject(i++, data);
        statement.setObject(i++, codecs);
        statement.setBytes(i++, eventIds);
        return i;
    }

    /**
     * Reads the group statement's row (the current result) and moves to the next result: the members written get
     * their positions (the sorted sequence numbers, taken in member order), the others are left to their threads.
     */
    private static void settle(PreparedStatement statement, List<PendingAppend> lean) throws SQLException {
        try (ResultSet row = statement.getResultSet()) {
            if (row == null || !row.next()) {
                throw new SQLException("The group append statement returned no row.");
            }
            long tx = row.getLong(1);
            long first = row.getLong(2);
            Array all = row.getArray(3);
            Array writtenArray = row.getArray(4);
            Array baseArray = row.getArray(5);
            Object[] written = writtenArray == null ? new Object[0] : (Object[]) writtenArray.getArray();
            Object[] bases = baseArray == null ? new Object[0] : (Object[]) baseArray.getArray();
            Object[] sequences = all == null ? null : (Object[]) all.getArray();
            int next = 0;
            int w = 0;
            for (int k = 0; k < lean.size(); k++) {
                PendingAppend member = lean.get(k);
                if (w < written.length && ((Number) written[w]).intValue() == k + 1) {
                    Position[] positions = new Position[member.encoded.size()];
                    for (int p = 0; p < positions.length; p++, next++) {
                        positions[p] = new Position(tx, sequences == null ? first + next
                                : ((Number) sequences[next]).longValue());
                    }
                    member.written = new AppendTransaction.Written(((Number) bases[w]).longValue(), positions);
                    w++;
                } else if (member.head != null) {
                    // Not at its known last event (or not open there): nothing written, its thread reads again.
                    member.missedHead = true;
                } else {
                    member.settleAlone = true;
                }
            }
            if (w != written.length || sequences != null && next != sequences.length) {
                throw new SQLException("The group append statement returned " + written.length + " members and "
                        + (sequences == null ? "consecutive" : sequences.length) + " sequence numbers for "
                        + next + " events of " + w + " members.");
            }
        }
        statement.getMoreResults();
    }
}
