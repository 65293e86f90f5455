package dev.eskit.jdbi;

import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.subscription.CheckpointStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@link CheckpointStore} in a {@link JdbiEventStore}'s schema (table {@code <prefix>checkpoints}: name, commit
 * order, sequence). Get it from {@link JdbiEventStore#checkpoints()}.
 *
 * <p>A projection that writes its read model to the same database can save its checkpoint in the same transaction
 * as its update, so both happen or neither:
 * <pre>{@code
 * jdbi.useTransaction(handle -> {
 *     handle.execute("UPDATE balances SET cents = cents + ? WHERE account = ?", e.amountCents(), e.accountId());
 *     store.checkpoints().save(handle, "balances", event.position());
 * });
 * }</pre>
 */
public final class JdbiCheckpointStore implements CheckpointStore {

    private final Database db;
    private final Dialect dialect;
    private final Clock clock;
    private final String saveSql;
    private final String firstSaveSql;
    private final String moveSql;
    private final String loadSql;
    private final String deleteSql;

    JdbiCheckpointStore(Database db, Clock clock) {
        this.db = db;
        this.dialect = db.dialect();
        this.clock = clock;
        TableNames t = dialect.tables;
        this.saveSql = "INSERT INTO " + t.checkpoints() + " (name, commit_order, sequence, updated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET commit_order = excluded.commit_order,"
                + " sequence = excluded.sequence, updated_at = excluded.updated_at";
        this.firstSaveSql = "INSERT INTO " + t.checkpoints() + " (name, commit_order, sequence, updated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING";
        this.moveSql = "UPDATE " + t.checkpoints() + " SET commit_order = ?, sequence = ?, updated_at = ?"
                + " WHERE name = ? AND commit_order = ? AND sequence = ?";
        this.loadSql = "SELECT commit_order, sequence FROM " + t.checkpoints() + " WHERE name = ?";
        this.deleteSql = "DELETE FROM " + t.checkpoints() + " WHERE name = ?";
    }

    @Override
    public Optional<Position> load(String name) {
        Names.check("Subscription name", name);
        return run("load checkpoint \"" + name + "\"", false, handle -> handle.select(loadSql, name)
                .map((row, context) -> new Position(row.getLong(1), row.getLong(2))).findFirst());
    }

    @Override
    public void save(String name, Position position) {
        Names.check("Subscription name", name);
        Objects.requireNonNull(position, "position");
        run("save checkpoint \"" + name + "\"", true, handle -> saveOn(handle, name, position));
    }

    /**
     * Saves the checkpoint on {@code handle}, inside whatever transaction it has open, so that it commits (or rolls
     * back) together with the caller's own writes. The handle must be connected to this store's database.
     */
    public void save(Handle handle, String name, Position position) {
        Objects.requireNonNull(handle, "handle");
        Names.check("Subscription name", name);
        Objects.requireNonNull(position, "position");
        try {
            saveOn(handle, name, position);
        } catch (JdbiException e) {
            throw Database.unreachable("save checkpoint \"" + name + "\"", e);
        }
    }

    /**
     * Saves the checkpoint on {@code handle}, inside its transaction, only if it is still at {@code expected}
     * ({@code null}: none saved yet), in one statement: the transactional subscriptions' save, which notices a second
     * copy of the subscription (see {@link dev.eskit.subscription.Transactor#saveCheckpoint(Object, String, Position,
     * Position)}).
     *
     * @return whether it was at {@code expected} and is saved
     */
    public boolean save(Handle handle, String name, Position expected, Position position) {
        Objects.requireNonNull(handle, "handle");
        Names.check("Subscription name", name);
        Objects.requireNonNull(position, "position");
        Object at = dialect.instantValue(clock.instant().truncatedTo(ChronoUnit.MICROS));
        try {
            if (expected == null) {
                return handle.createUpdate(firstSaveSql).bind(0, name).bind(1, position.commitOrder())
                        .bind(2, position.sequence()).bind(3, at).execute() == 1;
            }
            return handle.createUpdate(moveSql).bind(0, position.commitOrder()).bind(1, position.sequence())
                    .bind(2, at).bind(3, name).bind(4, expected.commitOrder()).bind(5, expected.sequence())
                    .execute() == 1;
        } catch (JdbiException e) {
            throw Database.unreachable("save checkpoint \"" + name + "\"", e);
        }
    }

    private int saveOn(Handle handle, String name, Position position) {
        return handle.createUpdate(saveSql).bind(0, name).bind(1, position.commitOrder()).bind(2, position.sequence())
                .bind(3, dialect.instantValue(clock.instant().truncatedTo(ChronoUnit.MICROS))).execute();
    }

    @Override
    public void delete(String name) {
        Names.check("Subscription name", name);
        run("delete checkpoint \"" + name + "\"", true, handle -> handle.execute(deleteSql, name));
    }

    private <T> T run(String operation, boolean write, Database.Work<T> work) {
        try {
            return write ? db.write(work) : db.read(work);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage(), e);
        }
    }
}
