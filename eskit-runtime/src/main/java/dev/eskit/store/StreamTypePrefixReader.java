package dev.eskit.store;

import dev.eskit.EventStore;
import dev.eskit.Limits;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A store that reads the global log restricted to streams whose type starts with a prefix, without decoding the
 * events of other streams: one tenant's reads ({@code dev.eskit.tenancy.TenantScopedEventStore}) then never fail on,
 * nor spend time decoding, another tenant's events. The Jdbi stores implement it; for other stores the tenant view
 * falls back to {@link #scan}.
 */
public interface StreamTypePrefixReader {

    /**
     * Up to {@code limit} events after {@code after} of streams whose type starts with {@code streamTypePrefix}, in
     * log order, as {@link EventStore#readAll(Position, int, Set)} would return them; events of other streams are
     * skipped before they are decoded.
     */
    List<StoredEvent<Object>> readAllWithStreamTypePrefix(String streamTypePrefix, Position after, int limit,
                                                          Set<String> eventTypes);

    /**
     * Reads {@code store}'s log page by page and keeps the events of streams whose type starts with
     * {@code streamTypePrefix}; every event of a page is decoded by the store. The fallback for stores that do not
     * implement this interface.
     */
    static List<StoredEvent<Object>> scan(EventStore store, String streamTypePrefix, Position after, int limit,
                                          Set<String> eventTypes) {
        Objects.requireNonNull(streamTypePrefix, "streamTypePrefix");
        EventStore.checkReadLimit(limit);
        if (store instanceof StreamTypePrefixReader reader) {
            return reader.readAllWithStreamTypePrefix(streamTypePrefix, after, limit, eventTypes);
        }
        int page = Math.min(Limits.MAX_READ_LIMIT, Math.max(limit, 500));
        List<StoredEvent<Object>> result = new ArrayList<>(Math.min(limit, 64));
        Position from = after;
        while (true) {
            List<StoredEvent<Object>> batch = store.readAll(from, page, eventTypes);
            for (StoredEvent<Object> event : batch) {
                if (event.streamType().startsWith(streamTypePrefix)) {
                    result.add(event);
                    if (result.size() == limit) {
                        return result;
                    }
                }
            }
            if (batch.size() < page) {
                return result;
            }
            from = batch.get(batch.size() - 1).position();
        }
    }
}
