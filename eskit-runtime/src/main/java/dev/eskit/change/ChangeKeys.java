package dev.eskit.change;

import dev.eskit.StoredEvent;
import java.util.Collection;
import java.util.List;

/**
 * Which keys of a read model one event changed, for a projection that {@link ChangeNotifier#announcing announces} its
 * changes. Return an empty collection when the event changed the read model as a whole.
 *
 * <pre>{@code
 * ChangeKeys byAccount = event -> List.of(((AccountEvent) event.data()).accountId());
 * }</pre>
 */
@FunctionalInterface
public interface ChangeKeys {

    /** The keys {@code event} changed; empty for "the whole read model". */
    Collection<String> keys(StoredEvent<Object> event);

    /** The event's stream id: the key of read models that hold one row per stream (balances per account). */
    static ChangeKeys streamId() {
        return event -> List.of(event.streamId());
    }

    /** No keys: every event changes the read model as a whole (totals, dashboards). */
    static ChangeKeys whole() {
        return event -> List.of();
    }
}
