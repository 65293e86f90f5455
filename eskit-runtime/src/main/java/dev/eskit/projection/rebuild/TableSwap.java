package dev.eskit.projection.rebuild;

import java.util.List;

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

    /**
     * Drops the shadow tables of {@code live} that earlier rebuilds left behind (a crash or a failure before the swap):
     * tables named {@code <live>_s<run>}, where {@code run} is 13 digits (the run's start in epoch milliseconds), in
     * {@code live}'s schema.
     * A {@link ShadowRebuild} calls it before it creates its own shadow tables. The default drops nothing.
     *
     * @return the names of the dropped tables
     */
    default List<String> dropLeftovers(T transaction, String live) throws Exception {
        return List.of();
    }
}
