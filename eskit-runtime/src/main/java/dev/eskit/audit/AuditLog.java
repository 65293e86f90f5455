package dev.eskit.audit;

import dev.eskit.EventStore;
import dev.eskit.Limits;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who appended what, when: the audit log of an event store, derived from the metadata every event carries. There is
 * no separate audit table: an event store is already an append-only record, and {@link dev.eskit.Metadata} holds the
 * initiator (put a {@link dev.eskit.Principal} there), originator, correlation and causation ids. The command handler
 * copies the command's metadata onto every event it appends.
 *
 * <pre>{@code
 * AuditLog audit = AuditLog.of(store);
 * List<AuditEntry> page = audit.read(AuditFilter.all().initiatedBy(Principal.user("alice")), Position.START, 100);
 * }</pre>
 *
 * <p>Reading scans the global log in order from {@code after} (through {@link EventStore#readAll} for a single
 * stream type through {@link EventStore#readStreamType}), keeping matching entries until {@code limit} are found or
 * the log ends: the cost grows with the log, not with the result. Metadata is not indexed; a long-lived application
 * that audits often should project entries into its own table with a subscription. Through a tenant's view the log is
 * the tenant's.
 */
public final class AuditLog {

    private final EventStore store;

    private AuditLog(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The audit log of {@code store}. */
    public static AuditLog of(EventStore store) {
        return new AuditLog(store);
    }

    /**
     * Up to {@code limit} entries that match {@code filter} and come after {@code after}, in log order. Read on from
     * the last entry's position for the next page.
     *
     * @throws dev.eskit.InvalidReadLimitException when {@code limit} is out of range
     */
    public List<AuditEntry> read(AuditFilter filter, Position after, int limit) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(after, "after");
        EventStore.checkReadLimit(limit);
        String type = filter.stream() != null ? filter.stream().type() : filter.streamType();
        List<AuditEntry> found = new ArrayList<>();
        Position cursor = after;
        while (found.size() < limit) {
            List<StoredEvent<Object>> page = type == null ? store.readAll(cursor, Limits.MAX_READ_LIMIT)
                    : store.readStreamType(type, cursor, Limits.MAX_READ_LIMIT);
            for (StoredEvent<Object> event : page) {
                AuditEntry entry = AuditEntry.of(event);
                if (filter.matches(entry)) {
                    found.add(entry);
                    if (found.size() == limit) {
                        return found;
                    }
                }
            }
            if (page.size() < Limits.MAX_READ_LIMIT) {
                return found;
            }
            cursor = page.get(page.size() - 1).position();
        }
        return found;
    }
}
