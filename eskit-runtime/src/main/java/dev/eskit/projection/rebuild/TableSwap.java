package dev.eskit.projection.rebuild;

/**
 * Replaces a live table with its shadow inside a transaction (drop the live table, rename the shadow to its name), so
 * that readers see the old table until the commit and the new one after it. The Jdbi module's {@code JdbiTableSwap}
 * does it on PostgreSQL and SQLite, whose DDL is transactional.
 *
 * @param <T> the transaction object of the projection's {@link dev.eskit.subscription.Transactor}
 */
@FunctionalInterface
public interface TableSwap<T> {

    /** Replaces table {@code live} by table {@code shadow} (both as the projection names them) in {@code transaction}. */
    void swap(T transaction, String live, String shadow) throws Exception;
}
