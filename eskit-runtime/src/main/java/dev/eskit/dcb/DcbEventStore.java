package dev.eskit.dcb;

import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.Limits;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventTypes;
import dev.eskit.store.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;

/**
 * An event store that also reads and appends by Dynamic Consistency Boundary: events are selected by type and tag
 * across streams, and an append can be made conditional on nothing matching a query having arrived after a position.
 *
 * <p>DCB appends and stream appends share one global log. Every event carries the tags its {@code @Tag} components
 * give, however it was appended; a DCB append may add explicit tags ({@link TaggedEvent}). A DCB append goes into a
 * stream of its own: stream type {@link #DCB_STREAM_TYPE}, stream id a fresh time-ordered UUID, versions 1 to n.
 *
 * <pre>{@code
 * Query boundary = Query.of(QueryItem.types("users.UserRegistered", "users.UserDeleted")
 *     .withTags(Tag.of("username", "alice")));
 * List<StoredEvent<Object>> events = store.read(boundary, Position.START, 1000);
 * Position read = events.isEmpty() ? null : events.get(events.size() - 1).position();
 * store.append(List.of(new UserRegistered("u1", "alice")), AppendCondition.failIfEventsMatch(boundary, read));
 * }</pre>
 */
public interface DcbEventStore extends EventStore {

    /** The stream type of the streams DCB appends create. */
    String DCB_STREAM_TYPE = "dcb";

    /**
     * Up to {@code limit} events matching {@code query} that come after {@code after}, in log order.
     *
     * <p>The result is complete for the query: an event matching it that is appended later always lands after the
     * positions returned (on PostgreSQL the read waits for in-flight appends of matching events), so a condition
     * made from the last position read catches every change to the boundary.
     *
     * @throws InvalidReadLimitException when {@code limit} is out of range
     */
    List<StoredEvent<Object>> read(Query query, Position after, int limit);

    /**
     * Every event matching {@code query}, page by page ({@link Limits#MAX_READ_LIMIT} at a time), in log order.
     */
    default List<StoredEvent<Object>> read(Query query) {
        List<StoredEvent<Object>> all = new ArrayList<>();
        Position after = Position.START;
        while (true) {
            List<StoredEvent<Object>> page = read(query, after, Limits.MAX_READ_LIMIT);
            all.addAll(page);
            if (page.size() < Limits.MAX_READ_LIMIT) {
                return all;
            }
            after = page.get(page.size() - 1).position();
        }
    }

    /**
     * Appends {@code events} atomically, with their {@code @Tag} tags plus the explicit tags of {@link TaggedEvent}
     * elements, if {@code condition} holds (no condition when {@code null}).
     *
     * @param events    event objects or {@link TaggedEvent}s; 1 to {@link Limits#MAX_EVENTS_PER_APPEND}
     * @param condition the condition, or {@code null} for an unconditional append
     * @param metadata  stored with every event
     * @throws AppendConditionFailedException when an event matching the condition's query exists after its position
     * @throws UnknownEventTypeException      when an event's class is not registered
     */
    AppendResult append(List<?> events, AppendCondition condition, Metadata metadata);

    /** {@link #append(List, AppendCondition, Metadata)} with empty metadata. */
    default AppendResult append(List<?> events, AppendCondition condition) {
        return append(events, condition, Metadata.empty());
    }

    /**
     * Appends {@code events} without a condition (with empty metadata), for events no decision depends on, such as
     * imports or the first event of a new boundary that nothing else can write.
     */
    default AppendResult append(List<?> events) {
        return append(events, null, Metadata.empty());
    }

    /**
     * A new, empty in-memory DCB store that knows the event types of every registry on the class path (the same
     * store as {@link EventStore#inMemory()}).
     */
    static InMemoryEventStore inMemory() {
        return EventStore.inMemory();
    }

    /** A new, empty in-memory DCB store that knows {@code types}. */
    static InMemoryEventStore inMemory(EventTypes types) {
        return EventStore.inMemory(types);
    }
}
