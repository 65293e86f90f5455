package dev.eskit.projection;

import dev.eskit.EventStore;
import dev.eskit.Names;
import dev.eskit.StoredEvent;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.EventHandler;
import dev.eskit.subscription.Subscription;
import java.util.Objects;
import java.util.Set;

/**
 * A read model fed by a {@link Subscription}: a name (its checkpoint's key), the wire names it handles (filtered in the
 * store), a handler, and a reset hook that clears the read model for a rebuild. Make one from a lambda, or from the
 * {@link ProjectionHandler} the annotation processor generates for a {@code @Projection} class:
 * {@code Projector.of(new BalancesHandlers(balances), balances::clear)}.
 *
 * <pre>{@code
 * Map<String, Long> balances = new ConcurrentHashMap<>();
 * Projector projector = Projector.of("balances", Set.of("bank.Deposited"), event -> {
 *     Deposited d = (Deposited) event.data();
 *     balances.merge(d.accountId(), d.amountCents(), Long::sum);
 * }, balances::clear);
 * Subscription running = projector.subscription(store, checkpoints).build().start();
 * running.rebuild();   // clears the map and reads the log again from the start
 * }</pre>
 */
public interface Projector extends EventHandler {

    /** The projection's name; the subscription's checkpoint is saved under it, so keep it stable. */
    String name();

    /** The wire names it handles; empty for every type. */
    Set<String> eventTypes();

    /** Clears the read model, before a rebuild reads the log again from the start. Does nothing by default. */
    default void reset() {
    }

    /**
     * A subscription builder with this projector's name, event types, handler and reset hook; set batch size,
     * checkpointing and retries on it, then {@code build().start()}.
     */
    default Subscription.Builder subscription(EventStore store, CheckpointStore checkpoints) {
        return Subscription.builder(name(), store, checkpoints)
                .eventTypes(eventTypes())
                .handler(this)
                .onReset(this::reset);
    }

    /**
     * A projector from a generated dispatch table ({@code new BalancesHandlers(balances)}), with nothing to reset.
     * Name and event types come from the table.
     */
    static Projector of(ProjectionHandler table) {
        return of(table, () -> { });
    }

    /** A projector from a generated dispatch table and a reset hook that clears its read model. */
    static Projector of(ProjectionHandler table, Runnable reset) {
        Objects.requireNonNull(table, "table");
        return of(table.name(), table.eventTypes(), table::handle, reset);
    }

    /** A projector from a lambda, with nothing to reset. */
    static Projector of(String name, Set<String> eventTypes, EventHandler handler) {
        return of(name, eventTypes, handler, () -> { });
    }

    /** A projector from a lambda and a reset hook. */
    static Projector of(String name, Set<String> eventTypes, EventHandler handler, Runnable reset) {
        String checkedName = Names.check("Projection name", name);
        Set<String> types = Set.copyOf(eventTypes);
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(reset, "reset");
        return new Projector() {
            @Override
            public String name() {
                return checkedName;
            }

            @Override
            public Set<String> eventTypes() {
                return types;
            }

            @Override
            public void handle(StoredEvent<Object> event) throws Exception {
                handler.handle(event);
            }

            @Override
            public void reset() {
                reset.run();
            }

            @Override
            public String toString() {
                return "Projector[" + checkedName + "]";
            }
        };
    }
}
