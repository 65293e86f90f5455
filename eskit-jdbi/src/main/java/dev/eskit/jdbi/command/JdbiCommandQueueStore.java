package dev.eskit.jdbi.command;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueueClaim;
import dev.eskit.command.queue.QueueFinish;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.TableNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable command queue in a table next to a {@link JdbiEventStore}'s tables ({@code <prefix>command_queue},
 * created by migrations 6 and 11). Workers on many nodes claim with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, without
 * waiting for each other or getting the same command; on SQLite a claim is one write transaction of the database's
 * single writer. Finishing a claim needs its random token, so a worker whose lease ended changes nothing. Command
 * metadata is stored as JSON written and read with jackson-core alone, so the queue needs no jackson-databind.
 *
 * <pre>{@code
 * CommandQueue queue = CommandQueue.builder(JdbiCommandQueueStore.create(jdbi, store), bus, CommandTypes.discover())
 *     .workers(4).build().start();
 * }</pre>
 */
public final class JdbiCommandQueueStore implements CommandQueueStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbiCommandQueueStore.class);
    private static final String COLUMNS = "id, command_type, payload, metadata, partition_key, status, attempts,"
            + " available_at, last_error, result, enqueued_at, finished_at, command_version";

    private final Transactions db;
    private final Clock clock;
    private final String table;
    private final JdbiEventStore events;
    private final dev.eskit.gdpr.PersonalDataProtector protector;

    private JdbiCommandQueueStore(Jdbi jdbi, JdbiEventStore events, TableNames names, Clock clock) {
        this.db = new Transactions(Objects.requireNonNull(jdbi, "jdbi"));
        this.events = events;
        this.table = names.table("command_queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.protector = events == null ? null : events.personalData().orElse(null);
    }

    /**
     * The queue in {@code store}'s schema and table prefix, reached through {@code jdbi}; when {@code store}'s codec
     * protects personal data, queued payloads are encrypted with it ({@link #personalData()}).
     */
    public static JdbiCommandQueueStore create(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiCommandQueueStore(jdbi, store, store.tableNames(), Clock.systemUTC());
    }

    /** The queue under {@code names} (whose migrations ran) with {@code clock}, for tests of leases and tools. */
    public static JdbiCommandQueueStore create(Jdbi jdbi, TableNames names, Clock clock) {
        return new JdbiCommandQueueStore(jdbi, null, names, clock);
    }

    /** The protector of the store this queue was made for ({@link #create(Jdbi, JdbiEventStore)}), if any. */
    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return Optional.ofNullable(protector);
    }

    @Override
    public boolean enqueue(QueuedCommand c) {
        Objects.requireNonNull(c, "command");
        return enqueueAll(List.of(c)) == 1;
    }

    @Override
    public int enqueueAll(List<QueuedCommand> commands) {
        if (commands.isEmpty()) {
            return 0;
        }
        return db.write("enqueue " + commands.size() + " commands", handle -> {
            int added = 0;
            try (PreparedStatement insert = handle.getConnection().prepareStatement("INSERT INTO " + table + " ("
                    + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                for (QueuedCommand c : commands) {
                    insert.setString(1, c.id());
                    insert.setString(2, c.commandType());
                    insert.setString(3, c.payload());
                    insert.setString(4, QueueMetadataJson.write(c.metadata()));
                    insert.setString(5, c.partitionKey());
                    insert.setString(6, c.status().name());
                    insert.setInt(7, c.attempts());
                    insert.setLong(8, Transactions.micros(c.availableAt()));
                    insert.setString(9, c.lastError());
                    insert.setString(10, c.result());
                    insert.setLong(11, Transactions.micros(c.enqueuedAt()));
                    if (c.finishedAt() == null) {
                        insert.setNull(12, java.sql.Types.BIGINT);
                    } else {
                        insert.setLong(12, Transactions.micros(c.finishedAt()));
                    }
                    insert.setInt(13, c.commandVersion());
                    added += insert.executeUpdate();
                }
            }
            return added;
        });
    }

    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease) {
        return claim(worker, max, lease, "");
    }

    /**
     * Claims as {@link #claim(String, int, Duration)}, only commands whose id starts with {@code idPrefix} (compared
     * with {@code substr}, so {@code _} and {@code %} in it are plain characters).
     */
    @Override
    public List<QueueClaim> claim(String worker, int max, Duration lease, String idPrefix) {
        Objects.requireNonNull(idPrefix, "idPrefix");
        return claim(worker, max, lease, idPrefix, false);
    }

    /**
     * Claims only commands outside every tenant: ids without a tenant prefix
     * ({@link dev.eskit.tenancy.Tenancy#hasTenantPrefix}), tested in SQL.
     */
    @Override
    public List<QueueClaim> claimOutsideTenants(String worker, int max, Duration lease) {
        return claim(worker, max, lease, "", true);
    }

    private List<QueueClaim> claim(String worker, int max, Duration lease, String idPrefix, boolean outsideTenants) {
        while (true) {
            int[] unreadable = new int[1];
            List<QueueClaim> claims = claimOnce(worker, max, lease, idPrefix, outsideTenants, unreadable);
            // A batch of unreadable rows only (now dead) hides the readable ones behind it: claim again.
            if (!claims.isEmpty() || unreadable[0] == 0) {
                return claims;
            }
        }
    }

    private List<QueueClaim> claimOnce(String worker, int max, Duration lease, String idPrefix,
                                       boolean outsideTenants, int[] unreadable) {
        boolean prefixed = !idPrefix.isEmpty();
        // Tenancy.hasTenantPrefix in SQL: the first ':' is not the first character and another ':' follows it.
        String colon = (db.sqlite() ? "instr" : "strpos") + "(c.id, ':')";
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        String token = UUID.randomUUID().toString();
        // The oldest available commands whose partition has no unfinished command enqueued before them.
        String sql = "UPDATE " + table + " SET status = 'CLAIMED', attempts = attempts + 1, available_at = ?,"
                + " claim_token = ?, claimed_by = ? WHERE seq IN (SELECT c.seq FROM " + table + " c"
                + " WHERE c.status IN ('PENDING', 'CLAIMED') AND c.available_at <= ?"
                + (prefixed ? " AND substr(c.id, 1, " + chars(idPrefix) + ") = ?" : "")
                + (outsideTenants ? " AND NOT (" + colon + " > 1 AND substr(c.id, " + colon + ", 2) = '::')" : "")
                + " AND (c.partition_key IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM " + table + " e WHERE e.partition_key = c.partition_key"
                + " AND e.seq < c.seq AND e.status IN ('PENDING', 'CLAIMED')))"
                + " ORDER BY c.seq LIMIT ?" + (db.sqlite() ? "" : " FOR UPDATE SKIP LOCKED") + ")"
                + " RETURNING seq, " + COLUMNS;
        return db.write("claim queued commands", handle -> {
            List<long[]> order = new ArrayList<>();
            List<QueueClaim> claims = new ArrayList<>();
            List<Row> bad = new ArrayList<>();
            try (PreparedStatement update = handle.getConnection().prepareStatement(sql)) {
                update.setLong(1, Transactions.micros(until));
                update.setString(2, token);
                update.setString(3, worker);
                update.setLong(4, Transactions.micros(now));
                int next = 5;
                if (prefixed) {
                    update.setString(next++, idPrefix);
                }
                update.setInt(next, max);
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        Row row = row(rows);
                        if (row.problem() != null) {
                            bad.add(row);
                            continue;
                        }
                        order.add(new long[] {rows.getLong("seq"), claims.size()});
                        claims.add(new QueueClaim(row.command(), worker, token, until));
                    }
                }
            }
            // A row edited by hand that cannot be read goes DEAD (in this transaction) instead of failing the claim
            // of every readable one, batch after batch.
            if (!bad.isEmpty()) {
                unreadable[0] = bad.size();
                try (PreparedStatement dead = handle.getConnection().prepareStatement("UPDATE " + table
                        + " SET status = 'DEAD', last_error = ?, available_at = ?, finished_at = ?, claim_token = NULL"
                        + " WHERE id = ? AND claim_token = ?")) {
                    for (Row row : bad) {
                        dead.setString(1, row.problem());
                        dead.setLong(2, Transactions.micros(now));
                        dead.setLong(3, Transactions.micros(now));
                        dead.setString(4, row.command().id());
                        dead.setString(5, token);
                        dead.addBatch();
                    }
                    dead.executeBatch();
                }
                bad.forEach(row -> LOG.warn("Queued command {} is dead: {}", row.command().id(), row.problem()));
            }
            // RETURNING gives no order: hand them out oldest first.
            order.sort((a, b) -> Long.compare(a[0], b[0]));
            List<QueueClaim> sorted = new ArrayList<>(claims.size());
            order.forEach(o -> sorted.add(claims.get((int) o[1])));
            return sorted;
        });
    }

    @Override
    public boolean finish(QueueClaim claim, QueueResult result) {
        return finishAll(List.of(new QueueFinish(claim, result)))[0];
    }

    /** Records every outcome in one transaction, as one JDBC batch. */
    @Override
    public boolean[] finishAll(List<QueueFinish> finishes) {
        if (finishes.isEmpty()) {
            return new boolean[0];
        }
        return db.write("finish " + finishes.size() + " queued commands", handle -> finish(handle.getConnection(),
                finishes));
    }

    private boolean[] finish(Connection connection, List<QueueFinish> finishes) throws SQLException {
        long now = Transactions.micros(clock.instant());
        // A dead command keeps its payload for the operator; a final one drops it.
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET status = ?,"
                + " payload = CASE WHEN ? THEN payload ELSE NULL END, last_error = ?, result = ?, available_at = ?,"
                + " finished_at = ?, claim_token = NULL WHERE id = ? AND status = 'CLAIMED' AND claim_token = ?")) {
            for (QueueFinish finish : finishes) {
                QueueResult result = finish.result();
                update.setString(1, result.status().name());
                update.setBoolean(2, result.status() == QueueStatus.DEAD);
                update.setString(3, result.error());
                update.setString(4, result.encode());
                update.setLong(5, now);
                update.setLong(6, now);
                update.setString(7, finish.claim().command().id());
                update.setString(8, finish.claim().token());
                if (finishes.size() == 1) {
                    return new boolean[] {update.executeUpdate() == 1};
                }
                update.addBatch();
            }
            int[] counts = update.executeBatch();
            boolean[] held = new boolean[counts.length];
            for (int i = 0; i < counts.length; i++) {
                // Some drivers report SUCCESS_NO_INFO (-2) for a batched row they changed.
                held[i] = counts[i] == 1 || counts[i] == Statement.SUCCESS_NO_INFO;
            }
            return held;
        }
    }

    /**
     * When {@code target} is the store this queue was created with, or a tenant's view of it (a tenant's queue, whose
     * claims the tenant's view of this queue store scoped), appends and finishes in one transaction on this queue's
     * Jdbi: the outcome commits with the events, or neither does.
     */
    @Override
    public AppendResult appendAndFinish(EventStore target, AppendRequest request, QueueClaim claim,
                                        Function<AppendResult, QueueResult> outcome, Consumer<QueueResult> finished) {
        // A tenant's view of this store appends the scoped request in the same transaction (a tenant's queue).
        dev.eskit.tenancy.TenantScopedEventStore view = target instanceof dev.eskit.tenancy.TenantScopedEventStore v
                && events != null && v.shared() == events ? v : null;
        if (events == null || (target != events && view == null)) {
            return CommandQueueStore.super.appendAndFinish(target, request, claim, outcome, finished);
        }
        QueueResult[] result = new QueueResult[1];
        AppendResult appended = db.write("append and finish queued command " + claim.command().id(), handle -> {
            AppendResult r = view == null ? events.append(handle, request)
                    : view.unscoped(events.append(handle, view.scoped(request)));
            QueueResult done = outcome.apply(r);
            if (finish(handle.getConnection(), List.of(new QueueFinish(claim, done)))[0]) {
                result[0] = done;
            }
            return r;
        });
        if (result[0] != null) {
            finished.accept(result[0]);
        }
        return appended;
    }

    /** The final outcomes among {@code ids}, in one query per 500 ids. */
    @Override
    public Map<String, QueueResult> findOutcomes(Collection<String> ids) {
        Map<String, QueueResult> found = new HashMap<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            db.read("find the outcomes of " + chunk.size() + " queued commands", handle -> {
                String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement select = handle.getConnection().prepareStatement("SELECT " + COLUMNS
                        + " FROM " + table + " WHERE id IN (" + marks + ") AND status IN ('SUCCEEDED', 'REJECTED',"
                        + " 'DEAD')")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            QueuedCommand c = command(rows);
                            c.outcome().ifPresent(r -> found.put(c.id(), r));
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    @Override
    public boolean retry(QueueClaim claim, String error, Instant retryAt) {
        return db.write("retry queued command " + claim.command().id(), handle -> {
            try (PreparedStatement update = handle.getConnection().prepareStatement("UPDATE " + table
                    + " SET status = 'PENDING', last_error = ?, available_at = ?, claim_token = NULL"
                    + " WHERE id = ? AND status = 'CLAIMED' AND claim_token = ?")) {
                update.setString(1, error);
                update.setLong(2, Transactions.micros(retryAt));
                update.setString(3, claim.command().id());
                update.setString(4, claim.token());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<QueuedCommand> find(String id) {
        return db.read("find queued command " + id, handle -> {
            try (PreparedStatement select = handle.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM "
                    + table + " WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(command(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<QueuedCommand> list(QueueStatus status, int limit) {
        return list(status, limit, "");
    }

    /** Up to {@code limit} commands with {@code status} whose id starts with {@code idPrefix}, in one query. */
    @Override
    public List<QueuedCommand> list(QueueStatus status, int limit, String idPrefix) {
        Objects.requireNonNull(idPrefix, "idPrefix");
        boolean prefixed = !idPrefix.isEmpty();
        return db.read("list queued commands", handle -> {
            try (PreparedStatement select = handle.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM "
                    + table + " WHERE status = ?" + (prefixed ? " AND substr(id, 1, " + chars(idPrefix) + ") = ?"
                    : "") + " ORDER BY seq LIMIT ?")) {
                select.setString(1, status.name());
                if (prefixed) {
                    select.setString(2, idPrefix);
                }
                select.setInt(prefixed ? 3 : 2, limit);
                List<QueuedCommand> found = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(command(rows));
                    }
                }
                return found;
            }
        });
    }

    @Override
    public boolean requeue(String id) {
        long now = Transactions.micros(clock.instant());
        return db.write("requeue command " + id, handle -> {
            try (PreparedStatement update = handle.getConnection().prepareStatement("UPDATE " + table
                    + " SET status = 'PENDING', attempts = 0, available_at = ?, result = NULL, finished_at = NULL"
                    + " WHERE id = ? AND status = 'DEAD'")) {
                update.setLong(1, now);
                update.setString(2, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
        return db.write("delete finished queued commands", handle -> {
            try (PreparedStatement delete = handle.getConnection().prepareStatement("DELETE FROM " + table
                    + " WHERE status IN ('SUCCEEDED', 'REJECTED') AND finished_at < ?")) {
                delete.setLong(1, Transactions.micros(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    /** The length of {@code prefix} as both databases' {@code substr} counts it: in characters (code points). */
    private static int chars(String prefix) {
        return prefix.codePointCount(0, prefix.length());
    }

    /** A stored row; {@code problem} names the column that cannot be read (the command then shows it in lastError). */
    private record Row(QueuedCommand command, String problem) {
    }

    /** The command of a row; a row that cannot be read (edited by hand) shows why in its last error. */
    private static QueuedCommand command(ResultSet row) throws SQLException {
        return row(row).command();
    }

    /**
     * Reads a row without failing on a column that cannot be read: the command then has empty metadata or version 1
     * in its place, and {@code problem} (also its last error) names the column and the fix.
     */
    private static Row row(ResultSet row) throws SQLException {
        long finished = row.getLong("finished_at");
        boolean unfinished = row.wasNull();
        String id = row.getString("id");
        List<String> problems = new ArrayList<>(2);
        dev.eskit.Metadata metadata;
        try {
            metadata = QueueMetadataJson.read(row.getString("metadata"));
        } catch (RuntimeException e) {
            metadata = dev.eskit.Metadata.empty();
            problems.add("column metadata cannot be read (" + e.getMessage() + ")");
        }
        int version = row.getInt("command_version");
        if (version < 1) {
            problems.add("column command_version holds " + version + ", but versions start at 1");
            version = 1;
        }
        QueueStatus status;
        String stored = row.getString("status");
        try {
            status = QueueStatus.valueOf(stored);
        } catch (RuntimeException e) {
            problems.add("column status holds " + dev.eskit.Limits.abbreviate(stored) + ", which is no QueueStatus");
            status = QueueStatus.DEAD;
        }
        String problem = problems.isEmpty() ? null : "The stored row of queued command "
                + dev.eskit.Limits.abbreviate(id) + " cannot be read: " + String.join("; ", problems)
                + ". Fix the row (it was changed outside eskit), then requeue it.";
        String lastError = row.getString("last_error");
        return new Row(new QueuedCommand(id, row.getString("command_type"), row.getString("payload"), metadata,
                row.getString("partition_key"), status, row.getInt("attempts"),
                Transactions.instant(row.getLong("available_at")), problem == null ? lastError : problem,
                row.getString("result"), Transactions.instant(row.getLong("enqueued_at")),
                unfinished ? null : Transactions.instant(finished), version), problem);
    }
}
