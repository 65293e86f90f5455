package dev.eskit.spring;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.store.ForwardingEventStore;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends inside the Spring-managed transaction of the calling thread, when there is one ({@code @Transactional},
 * {@code TransactionTemplate}): the events commit or roll back with the application's own writes on the same
 * {@code DataSource}. Without a transaction it appends as the store always does. Turned on by
 * {@code eskit.store.join-spring-transactions=true}; reads are not affected.
 *
 * <p>Subscriptions in this JVM see such events at their next poll ({@code eskit.subscriptions.poll-interval}), not at
 * once. On SQLite the application's transaction holds the database's single write lock from its first write until it
 * ends: keep it short.
 */
public final class SpringTransactionEventStore extends ForwardingEventStore {

    private final JdbiEventStore store;
    private final DataSource dataSource;

    /** Appends to {@code store} through the transactional connections of {@code dataSource} (the store's own). */
    public SpringTransactionEventStore(JdbiEventStore store, DataSource dataSource) {
        super(store);
        this.store = store;
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public AppendResult append(AppendRequest request) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return store.append(request);
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return store.append(connection, request);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
