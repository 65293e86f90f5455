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
    void handleAndSave(List<StoredEvent<Object>> events, String name, Position expected, Position last,
                       Runnable guard) throws Exception {
        transactor.inTransaction(transaction -> {
            for (StoredEvent<Object> event : events) {
                guard.run();
                handler.handle(transaction, event);
            }
            guard.run();
            save(transaction, name, expected, last);
        });
    }

    /** Saves the checkpoint if it is still at {@code expected}; throws {@link CheckpointMoved} (rolling back) if not. */
    private void save(T transaction, String name, Position expected, Position position) throws Exception {
        if (!transactor.saveCheckpoint(transaction, name, expected, position)) {
            throw new CheckpointMoved(name, expected);
        }
    }

    /** The checkpoint was not where this run left it: another copy of the subscription moved it. */
    static final class CheckpointMoved extends SubscriptionException {
        private static final long serialVersionUID = 1L;

        CheckpointMoved(String name, Position expected) {
            super("The checkpoint of subscription \"" + name + "\" is no longer at " + (expected == null ? "none"
                    : expected) + ", where this run left it: another copy of the subscription (on another node, or"
                    + " twice in this JVM) or a rebuild moved it, or the subscription's CheckpointStore is not where its transactor saves. This copy stopped, rolling back, so that no event is"
                    + " applied twice. Run one copy at a time (a LeaderSupervisor or a partitioned subscription), or"
                    + " start it again after a rebuild.");
        }
    }

    /** Handles one event in a transaction of its own, saving nothing else (a dead-letter replay). */
    void handleAlone(StoredEvent<Object> event) throws Exception {
        transactor.inTransaction(transaction -> handler.handle(transaction, event));
    }

    /** Saves {@code position} alone (past a dead-lettered event); {@code beforeSave} throws to roll back. */
    void saveAlone(String name, Position expected, Position position, Runnable beforeSave) throws Exception {
        transactor.inTransaction(transaction -> {
            beforeSave.run();
            save(transaction, name, expected, position);
        });
    }
}
