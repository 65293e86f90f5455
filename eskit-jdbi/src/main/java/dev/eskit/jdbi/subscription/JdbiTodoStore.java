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
import java.sql.PreparedStatement;
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
        return db.call("add todo item", true, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, 'PENDING', 0, ?, NULL, ?) ON CONFLICT (list, id) DO NOTHING")) {
                insert.setString(1, list);
                insert.setString(2, id);
                insert.setString(3, payload);
                insert.setLong(4, now);
                insert.setLong(5, now);
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<TodoClaim> claim(String list, String worker, int max, Duration lease) {
        Names.check("Todo list name", list);
        Names.check("Worker name", worker);
        EventStore.checkReadLimit(max);
        Objects.requireNonNull(lease, "lease");
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        UUID token = UUID.randomUUID();
        String sql = "UPDATE " + table + " SET status = 'CLAIMED', attempts = attempts + 1, available_at = ?,"
                + " claim_token = ?, claimed_by = ? WHERE (list, id) IN (SELECT list, id FROM " + table
                + " WHERE list = ? AND status IN ('PENDING', 'CLAIMED') AND available_at <= ?"
                + " ORDER BY available_at, created_at LIMIT ?" + (sqlite ? "" : " FOR UPDATE SKIP LOCKED") + ")"
                + " RETURNING " + COLUMNS;
        return db.call("claim todo items", true, connection -> {
            List<TodoClaim> claims = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                update.setLong(1, WriteTransactions.micros(until));
                update.setString(2, token.toString());
                update.setString(3, worker);
                update.setString(4, list);
                update.setLong(5, WriteTransactions.micros(now));
                update.setInt(6, max);
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        claims.add(new TodoClaim(item(rows), worker, token, until));
                    }
                }
            }
            claims.sort((a, b) -> {
                int byAvailable = a.item().createdAt().compareTo(b.item().createdAt());
                return byAvailable != 0 ? byAvailable : a.item().id().compareTo(b.item().id());
            });
            return claims;
        });
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
        return db.call("fail todo item", true, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET status = ?,"
                    + " available_at = ?, last_error = ?, claim_token = NULL WHERE list = ? AND id = ?"
                    + " AND status = 'CLAIMED' AND claim_token = ?")) {
                update.setString(1, status);
                update.setLong(2, at);
                // A message may quote personal data the handler opened from a sealed payload: withhold it then.
                update.setString(3, dev.eskit.gdpr.PersonalDataProtector.redactTodoError(claim.item().payload(),
                        error));
                update.setString(4, claim.item().list());
                update.setString(5, claim.item().id());
                update.setString(6, claim.token().toString());
                return update.executeUpdate() == 1;
            }
        });
    }

    private boolean finish(TodoClaim claim, String operation, String assignments) {
        return db.call(operation, true, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET " + assignments
                    + ", claim_token = NULL WHERE list = ? AND id = ? AND status = 'CLAIMED' AND claim_token = ?")) {
                update.setString(1, claim.item().list());
                update.setString(2, claim.item().id());
                update.setString(3, claim.token().toString());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<TodoItem> find(String list, String id) {
        return db.call("find todo item", false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                    + " WHERE list = ? AND id = ?")) {
                select.setString(1, list);
                select.setString(2, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(item(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<TodoItem> list(String list, TodoStatus status, int limit) {
        EventStore.checkReadLimit(limit);
        Objects.requireNonNull(status, "status");
        return db.call("list todo items", false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + table
                    + " WHERE list = ? AND status = ? ORDER BY created_at, id LIMIT ?")) {
                select.setString(1, list);
                select.setString(2, status.name());
                select.setInt(3, limit);
                List<TodoItem> items = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        items.add(item(rows));
                    }
                }
                return items;
            }
        });
    }

    @Override
    public boolean retry(String list, String id) {
        long now = WriteTransactions.micros(clock.instant());
        return db.call("retry todo item", true, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET status = 'PENDING',"
                    + " attempts = 0, available_at = ?, claim_token = NULL WHERE list = ? AND id = ?"
                    + " AND status IN ('DEAD', 'DONE')")) {
                update.setLong(1, now);
                update.setString(2, list);
                update.setString(3, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String list, String id) {
        return db.call("delete todo item", true, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                    + " WHERE list = ? AND id = ?")) {
                delete.setString(1, list);
                delete.setString(2, id);
                return delete.executeUpdate() == 1;
            }
        });
    }

    private static TodoItem item(ResultSet rows) throws SQLException {
        return new TodoItem(rows.getString(1), rows.getString(2), rows.getString(3),
                TodoStatus.valueOf(rows.getString(4)), rows.getInt(5), WriteTransactions.instant(rows.getLong(6)),
                rows.getString(7), WriteTransactions.instant(rows.getLong(8)));
    }
}
