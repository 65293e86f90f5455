package dev.eskit.jdbi.subscription;

import dev.eskit.Position;
import dev.eskit.jdbi.JdbiCheckpointStore;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.subscription.Transactor;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Transactions for {@link dev.eskit.subscription.Subscription.Builder#transactional transactional subscriptions} on the
 * Jdbi stores: the handler gets the Jdbi {@link Handle} of a transaction that also saves the checkpoint in the store's
 * checkpoint table, so the read model and its position commit together (exactly-once effects).
 *
 * <pre>{@code
 * Jdbi jdbi = Jdbi.create(dataSource);
 * JdbiEventStore store = JdbiEventStore.create(jdbi, codec);
 * Subscription balances = Subscription.builder("balances", store, store.checkpoints())
 *     .transactional(JdbiTransactor.of(jdbi, store), (handle, event) -> handle.execute("UPDATE ..."))
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>On SQLite a transaction starts with {@code BEGIN IMMEDIATE} (taking the write lock at once, so it never fails
 * late on a lock upgrade) and waits up to the busy timeout for another writer. {@code jdbi} must reach the store's
 * database.
 */
public final class JdbiTransactor implements Transactor<Handle> {

    private final WriteTransactions transactions;
    private final JdbiCheckpointStore checkpoints;

    private JdbiTransactor(Jdbi jdbi, JdbiCheckpointStore checkpoints, long busyTimeoutMillis) {
        this.transactions = new WriteTransactions(jdbi, busyTimeoutMillis);
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /** Transactions on {@code jdbi} that save checkpoints in {@code store}'s checkpoint table. */
    public static JdbiTransactor of(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiTransactor(jdbi, store.checkpoints(), 10_000);
    }

    /** Transactions on {@code jdbi} that save checkpoints with {@code checkpoints}. */
    public static JdbiTransactor of(Jdbi jdbi, JdbiCheckpointStore checkpoints) {
        return new JdbiTransactor(jdbi, checkpoints, 10_000);
    }

    @Override
    public void inTransaction(Work<Handle> work) throws Exception {
        transactions.write(handle -> {
            work.run(handle);
            return null;
        });
    }

    @Override
    public void saveCheckpoint(Handle transaction, String name, Position position) {
        checkpoints.save(transaction, name, position);
    }

    /** {@inheritDoc} One statement: an insert that does nothing on a saved row, or an update at {@code expected}. */
    @Override
    public boolean saveCheckpoint(Handle transaction, String name, Position expected, Position position) {
        return checkpoints.save(transaction, name, expected, position);
    }
}
