package dev.eskit.subscription;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import java.util.List;

/** A transactional handler with its transactor, generic in one place. */
final class TransactionalSink<T> {
    private final Transactor<T> transactor;
    private final TransactionalHandler<T> handler;

    TransactionalSink(Transactor<T> transactor, TransactionalHandler<T> handler) {
        this.transactor = transactor;
        this.handler = handler;
    }

    /** Handles {@code events} and saves {@code last}; {@code guard} runs before every handler call and the save. */
    void handleAndSave(List<StoredEvent<Object>> events, String name, Position last, Runnable guard)
            throws Exception {
        transactor.inTransaction(transaction -> {
            for (StoredEvent<Object> event : events) {
                guard.run();
                handler.handle(transaction, event);
            }
            guard.run();
            transactor.saveCheckpoint(transaction, name, last);
        });
    }

    /** Handles one event in a transaction of its own, saving nothing else (a dead-letter replay). */
    void handleAlone(StoredEvent<Object> event) throws Exception {
        transactor.inTransaction(transaction -> handler.handle(transaction, event));
    }

    /** Saves {@code position} alone (past a dead-lettered event); {@code beforeSave} throws to roll back. */
    void saveAlone(String name, Position position, Runnable beforeSave) throws Exception {
        transactor.inTransaction(transaction -> {
            beforeSave.run();
            transactor.saveCheckpoint(transaction, name, position);
        });
    }
}
