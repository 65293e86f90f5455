package dev.eskit.change;

import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.subscription.TransactionalHandler;
import dev.eskit.subscription.Transactor;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Transactor} for a transactional projection that announces, once a transaction has committed, one
 * {@link Change} with the keys its events changed and the position of its last event. A transaction that rolls back
 * (or fails to commit) announces nothing. Made by {@link ChangeNotifier#announcing(String, Transactor, ChangeKeys)};
 * the handler must be wrapped with {@link #handler(TransactionalHandler)} so that it records the keys.
 *
 * @param <T> the transaction object
 */
public final class AnnouncingTransactor<T> implements Transactor<T> {

    private final ChangeNotifier notifier;
    private final String readModel;
    private final Transactor<T> delegate;
    private final ChangeKeys keys;
    /** The open transactions' pending changes, by transaction object. */
    private final Map<T, Pending> open = new IdentityHashMap<>();

    AnnouncingTransactor(ChangeNotifier notifier, String readModel, Transactor<T> delegate, ChangeKeys keys) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.readModel = Names.check("Read model name", readModel);
        this.delegate = Objects.requireNonNull(delegate, "transactor");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The read model whose changes it announces. */
    public String readModel() {
        return readModel;
    }

    /** Runs {@code work} in the wrapped transactor's transaction, then announces what it changed if it committed. */
    @Override
    public void inTransaction(Work<T> work) throws Exception {
        Pending pending = new Pending();
        delegate.inTransaction(transaction -> {
            synchronized (open) {
                open.put(transaction, pending);
            }
            try {
                work.run(transaction);
            } finally {
                synchronized (open) {
                    open.remove(transaction);
                }
            }
        });
        // Committed: the wrapped transactor returned normally.
        Change change = pending.change();
        if (change != null) {
            notifier.publish(change);
        }
    }

    @Override
    public void saveCheckpoint(T transaction, String name, Position position) throws Exception {
        delegate.saveCheckpoint(transaction, name, position);
    }

    @Override
    public boolean saveCheckpoint(T transaction, String name, Position expected, Position position)
            throws Exception {
        return delegate.saveCheckpoint(transaction, name, expected, position);
    }

    /** {@code handler}, recording the keys of every event it applies for the announcement after the commit. */
    public TransactionalHandler<T> handler(TransactionalHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        return (transaction, event) -> {
            Pending pending;
            synchronized (open) {
                pending = open.get(transaction);
            }
            if (pending == null) {
                throw new IllegalStateException("The announcing handler of \"" + readModel + "\" ran outside its"
                        + " transactor's transaction. Pass the AnnouncingTransactor itself to"
                        + " Subscription.Builder.transactional(...).");
            }
            Collection<String> changed = keys.keys(event);
            handler.handle(transaction, event);
            pending.add(changed, event);
        };
    }

    /** {@code reset}, followed by a {@link Resync} to the read model's subscribers (for {@code onReset}). */
    public Runnable onReset(Runnable reset) {
        Objects.requireNonNull(reset, "reset");
        return () -> {
            reset.run();
            notifier.resync(readModel, "rebuild");
        };
    }

    /** The keys and last position of one open transaction. */
    private final class Pending {
        private final Set<String> changed = new HashSet<>();
        private boolean whole;
        private Position last;

        void add(Collection<String> keys, StoredEvent<Object> event) {
            if (keys.isEmpty() || changed.size() + keys.size() > Change.MAX_KEYS) {
                whole = true;
                changed.clear();
            } else if (!whole) {
                changed.addAll(keys);
            }
            if (last == null || event.position().isAfter(last)) {
                last = event.position();
            }
        }

        Change change() {
            return last == null ? null : new Change(readModel, whole ? Set.of() : changed, last);
        }
    }
}
