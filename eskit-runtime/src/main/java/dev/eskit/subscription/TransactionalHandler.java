package dev.eskit.subscription;

import dev.eskit.StoredEvent;

/**
 * Handles one event inside the transaction that also saves the subscription's checkpoint (see {@link Transactor}).
 * Write the read model through {@code transaction} only; anything written elsewhere is not rolled back with it.
 *
 * <pre>{@code
 * TransactionalHandler<Handle> handler = (handle, event) -> {
 *     Deposited d = (Deposited) event.data();
 *     handle.execute("UPDATE balances SET cents = cents + ? WHERE account = ?", d.amountCents(), d.accountId());
 * };
 * }</pre>
 *
 * @param <T> the transaction object
 */
@FunctionalInterface
public interface TransactionalHandler<T> {

    /**
     * Applies {@code event} within {@code transaction}.
     *
     * @throws Exception to roll back and have the event retried and, after the last attempt, dead-lettered
     */
    void handle(T transaction, StoredEvent<Object> event) throws Exception;
}
