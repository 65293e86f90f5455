package dev.eskit.jdbi.subscription;

import dev.eskit.EventStore;
import dev.eskit.Names;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.TableNames;
import dev.eskit.todo.TodoClaim;
import dev.eskit.todo.TodoItem;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Todo lists in a table next to a {@link JdbiEventStore}'s tables ({@code <prefix>todo}). Workers claim with
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so many workers on many nodes claim at once without waiting for each
 * other or getting the same item; on SQLite a claim is one {@code BEGIN IMMEDIATE} transaction of the single writer.
 * Each claim carries a random token; completing or failing needs the token, so a worker whose lease ran out cannot
 * overwrite the item's new owner.
 *
 * <pre>{@code
 * TodoStore todos = JdbiTodoStore.create(jdbi, store);
 * TodoProcessor.builder("welcome-emails", todos, item -> ...).workers(4).build().start();
 * }</pre>
 *
 * <p>The table is created by eskit's versioned migrations (migration 3). Timestamps are stored as microseconds since the epoch.
 */
public final class JdbiTodoStore implements TodoStore {

    private static final String COLUMNS = "list, id, payload, status, attempts, available_at, last_error, created_at";

    private final WriteTransactions db;
    private final Clock clock;
    private final String table;
    private final boolean sqlite;

    private JdbiTodoStore(Jdbi jdbi, TableNames names, Clock clock, boolean migrate) {
        this.db = new WriteTransactions(jdbi, 10_000);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.table = names.table("todo");
        if (migrate) {
            // The table is part of eskit's versioned schema (migration 3).
            JdbiSchema.migrate(jdbi, names);
        }
        try {
            this.sqlite = db.isSqlite();
        } catch (SQLException e) {
            throw new StoreAccessException("open the todo table " + table, e);
        }
    }

    /** Todo lists on {@code jdbi}, in the table of {@code store}'s schema and prefix (its migrations created it). */
    public static JdbiTodoStore create(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiTodoStore(jdbi, store.tableNames(), Clock.systemUTC(), false);
    }

    /**
     * Todo lists on {@code jdbi} with table names {@code names} and {@code clock} (for tests of leases); creates or
     * migrates eskit's tables under those names first ({@link JdbiSchema#migrate}).
     */
    public static JdbiTodoStore create(Jdbi jdbi, TableNames names, Clock clock) {
        return new JdbiTodoStore(jdbi, names, clock, true);
    }

    @Override
    public boolean add(String list, String id, String payload) {
        Names.check("Todo list name", list);
        Names.check("Todo item id", id);
        TodoItem.checkPayload(payload);
        long now = WriteTransactions.micros(clock.instant());
        return db.inHandle("add todo item", true, handle -> handle.execute("INSERT INTO " + table + " (" + COLUMNS
                + ") VALUES (?, ?, ?, 'PENDING', 0, ?, NULL, ?) ON CONFLICT (list, id) DO NOTHING", list, id, payload,
                now, now) == 1);
    }

    @Override
    public List<TodoClaim> claim(String list, String worker, int max, Duration lease) {
        Names.check("Todo list name", list);
        Names.check("Worker name", worker);
        EventStore.checkReadLimit(max);
        TodoStore.checkLease(lease);
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        UUID token = UUID.randomUUID();
        String sql = "UPDATE " + table + " SET status = 'CLAIMED', attempts = attempts + 1, available_at = ?,"
                + " claim_token = ?, claimed_by = ? WHERE (list, id) IN (SELECT list, id FROM " + table
                + " WHERE list = ? AND status IN ('PENDING', 'CLAIMED') AND available_at <= ?"
                + " ORDER BY available_at, created_at LIMIT ?" + (sqlite ? "" : " FOR UPDATE SKIP LOCKED") + ")"
                + " RETURNING " + COLUMNS;
        List<TodoClaim> claims = new ArrayList<>(db.inHandle("claim todo items", true, handle -> handle.select(sql,
                        WriteTransactions.micros(until), token.toString(), worker, list, WriteTransactions.micros(now),
                        max)
                .map((rows, context) -> new TodoClaim(item(rows), worker, token, until)).list()));
        claims.sort((a, b) -> {
            int byAvailable = a.item().createdAt().compareTo(b.item().createdAt());
            return byAvailable != 0 ? byAvailable : a.item().id().compareTo(b.item().id());
        });
        return claims;
    }

    @Override
    public boolean complete(TodoClaim claim) {
        long now = WriteTransactions.micros(clock.instant());
        return finish(claim, "complete todo item", "status = 'DONE', available_at = " + now);
    }

    @Override
    public boolean fail(TodoClaim claim, String error, Instant retryAt) {
        long at = WriteTransactions.micros(retryAt == null ? clock.instant() : retryAt);
        String status = retryAt == null ? "DEAD" : "PENDING";
        // A message may quote personal data the handler opened from a sealed payload: withhold it then.
        String redacted = dev.eskit.gdpr.PersonalDataProtector.redactTodoError(claim.item().payload(), error);
        return db.inHandle("fail todo item", true, handle -> handle.createUpdate("UPDATE " + table + " SET status = ?,"
                        + " available_at = ?, last_error = ?, claim_token = NULL WHERE list = ? AND id = ?"
                        + " AND status = 'CLAIMED' AND claim_token = ?")
                .bind(0, status).bind(1, at).bind(2, redacted).bind(3, claim.item().list()).bind(4, claim.item().id())
                .bind(5, claim.token().toString()).execute() == 1);
    }

    private boolean finish(TodoClaim claim, String operation, String assignments) {
        return db.inHandle(operation, true, handle -> handle.execute("UPDATE " + table + " SET " + assignments
                + ", claim_token = NULL WHERE list = ? AND id = ? AND status = 'CLAIMED' AND claim_token = ?",
                claim.item().list(), claim.item().id(), claim.token().toString()) == 1);
    }

    @Override
    public Optional<TodoItem> find(String list, String id) {
        return db.inHandle("find todo item", false, handle -> handle.select("SELECT " + COLUMNS + " FROM " + table
                + " WHERE list = ? AND id = ?", list, id).map((rows, context) -> item(rows)).findFirst());
    }

    @Override
    public List<TodoItem> list(String list, TodoStatus status, int limit) {
        EventStore.checkReadLimit(limit);
        Objects.requireNonNull(status, "status");
        return db.inHandle("list todo items", false, handle -> handle.select("SELECT " + COLUMNS + " FROM " + table
                + " WHERE list = ? AND status = ? ORDER BY created_at, id LIMIT ?", list, status.name(), limit)
                .map((rows, context) -> item(rows)).list());
    }

    @Override
    public boolean retry(String list, String id) {
        long now = WriteTransactions.micros(clock.instant());
        return db.inHandle("retry todo item", true, handle -> handle.execute("UPDATE " + table + " SET status = 'PENDING',"
                + " attempts = 0, available_at = ?, claim_token = NULL WHERE list = ? AND id = ?"
                + " AND status IN ('DEAD', 'DONE')", now, list, id) == 1);
    }

    @Override
    public boolean delete(String list, String id) {
        return db.inHandle("delete todo item", true, handle -> handle.execute("DELETE FROM " + table
                + " WHERE list = ? AND id = ?", list, id) == 1);
    }

    private static TodoItem item(ResultSet rows) throws SQLException {
        return new TodoItem(rows.getString(1), rows.getString(2), rows.getString(3),
                TodoStatus.valueOf(rows.getString(4)), rows.getInt(5), WriteTransactions.instant(rows.getLong(6)),
                rows.getString(7), WriteTransactions.instant(rows.getLong(8)));
    }
}
