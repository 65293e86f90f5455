package dev.eskit.store;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.StreamTombstonedException;
import dev.eskit.Tombstone;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.PreparedDcbAppend;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.Tag;
import dev.eskit.internal.Ids;
import dev.eskit.subscription.AppendNotifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A thread-safe event store in memory, for tests, prototypes and the quick start. It keeps event objects as they
 * are (no serialization), so everything it stores must still be a registered event type: an unregistered class fails
 * here just as it would on a persistent store.
 *
 * <p>Appends are serialized by one write lock; reads share a read lock. As an {@link AppendNotifier} it wakes
 * subscriptions in the same JVM as soon as an append is visible. As a {@link DcbEventStore} it checks an append
 * condition and appends under that one lock. As a {@link HeadAppender} it checks a stream's last event and appends
 * under that one lock too.
 */
public final class InMemoryEventStore implements EventStore, StreamAdmin, AppendNotifier, DcbEventStore,
        HeadAppender {

    private final EventTypes types;
    private final Clock clock;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<StoredEvent<Object>> log = new ArrayList<>();
    private final Map<StreamRef, List<StoredEvent<Object>>> streams = new HashMap<>();
    private final Map<String, IdempotentAppend> idempotency = new HashMap<>();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    /** The tags of events appended by DCB appends, by sequence; other events' tags come from their types. */
    private final Map<Long, List<Tag>> dcbTags = new HashMap<>();
    /** Streams that are not active; a deleted stream's events are null in {@link #log}, so positions stay put. */
    private final Map<StreamRef, StreamStatus> statuses = new HashMap<>();
    private final Map<StreamRef, Tombstone> tombstones = new HashMap<>();

    private record IdempotentAppend(StreamRef stream, List<StoredEvent<Object>> events) {
    }

    /** A store that knows {@code types} and stamps events with the system clock. */
    public InMemoryEventStore(EventTypes types) {
        this(types, Clock.systemUTC());
    }

    /** A store that knows {@code types} and stamps events with {@code clock}. */
    public InMemoryEventStore(EventTypes types, Clock clock) {
        this.types = Objects.requireNonNull(types, "types");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AppendResult append(AppendRequest request) {
        AppendResult result = appendLocked(request, null);
        if (!result.duplicate()) {
            notifyAppended();
        }
        return result;
    }

    /** {@inheritDoc} Always {@code true}. */
    @Override
    public boolean appendsAtHead() {
        return true;
    }

    @Override
    public Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(headEventId, "headEventId");
        if (request.idempotencyKey() != null || !(request.expected() instanceof ExpectedVersion.Exactly exactly)
                || exactly.version() < 1) {
            return Optional.empty();
        }
        AppendResult result = appendLocked(request, headEventId);
        if (result == null) {
            return Optional.empty();
        }
        notifyAppended();
        return Optional.of(result);
    }

    @Override
    public Registration onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        // Wrap it so that one listener registered twice is removed once per registration.
        Runnable entry = listener::run;
        appendListeners.add(entry);
        return () -> appendListeners.remove(entry);
    }

    private void notifyAppended() {
        for (Runnable listener : appendListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // The events are stored; a failed wake-up hint only delays a subscriber until its next poll.
            }
        }
    }

    /**
     * Appends under the write lock; with {@code head} (an exact expected version of at least 1, no key) only while
     * the stream is open at that version with that last event, else returns {@code null} having written nothing.
     */
    private AppendResult appendLocked(AppendRequest request, UUID head) {
        // Resolve every type before taking the lock: an unknown class fails with nothing written.
        List<?> events = request.events();
        EventType<?>[] eventTypes = new EventType<?>[events.size()];
        for (int i = 0; i < eventTypes.length; i++) {
            eventTypes[i] = types.byClass(events.get(i).getClass());
        }
        StreamRef stream = request.stream();
        lock.writeLock().lock();
        try {
            if (request.idempotencyKey() != null) {
                IdempotentAppend previous = idempotency.get(request.idempotencyKey());
                if (previous != null) {
                    if (!previous.stream().equals(stream)) {
                        throw new IdempotencyKeyReusedException("Idempotency key \"" + request.idempotencyKey()
                                + "\" was first used for stream " + previous.stream() + ", not " + stream
                                + ". Use a key that identifies one operation on one stream.");
                    }
                    return new AppendResult(previous.events(), true);
                }
            }
            StreamStatus status = statuses.get(stream);
            if (head != null && !atHead(stream, status, request.expected(), head)) {
                return null;
            }
            if (status == StreamStatus.ARCHIVED) {
                throw new StreamArchivedException(stream);
            }
            if (status == StreamStatus.TOMBSTONED) {
                throw new StreamTombstonedException(stream);
            }
            List<StoredEvent<Object>> existing = streams.get(stream);
            long version = existing == null ? 0 : existing.size();
            if (!request.expected().matches(version)) {
                throw new ConcurrencyException(stream, request.expected(), version);
            }
            if (existing == null) {
                existing = new ArrayList<>();
                streams.put(stream, existing);
            }
            Instant now = clock.instant();
            List<StoredEvent<Object>> stored = new ArrayList<>(events.size());
            for (int i = 0; i < eventTypes.length; i++) {
                StoredEvent<Object> event = new StoredEvent<>(Ids.timeOrdered(), stream, version + i + 1,
                        eventTypes[i].name(), eventTypes[i].version(), Position.of(log.size() + 1L), now,
                        request.metadata(), events.get(i));
                log.add(event);
                existing.add(event);
                stored.add(event);
            }
            if (request.idempotencyKey() != null) {
                idempotency.put(request.idempotencyKey(), new IdempotentAppend(stream, List.copyOf(stored)));
            }
            return new AppendResult(stored, false);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether {@code stream} is open at {@code expected} with {@code head} as its last event; under the lock. */
    private boolean atHead(StreamRef stream, StreamStatus status, ExpectedVersion expected, UUID head) {
        List<StoredEvent<Object>> existing = streams.get(stream);
        return (status == null || status == StreamStatus.ACTIVE) && existing != null && !existing.isEmpty()
                && expected.matches(existing.size()) && existing.get(existing.size() - 1).id().equals(head);
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        EventStore.checkIdempotencyKey(idempotencyKey);
        lock.readLock().lock();
        try {
            IdempotentAppend previous = idempotency.get(idempotencyKey);
            return previous == null ? Optional.empty() : Optional.of(new AppendResult(previous.events(), true));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        EventStore.checkFromVersion(fromVersion);
        lock.readLock().lock();
        try {
            List<StoredEvent<Object>> events = streams.get(stream);
            if (events == null) {
                return List.of();
            }
            int from = (int) Math.min(Math.max(fromVersion - 1, 0), events.size());
            return List.copyOf(events.subList(from, events.size()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long streamVersion(StreamRef stream) {
        lock.readLock().lock();
        try {
            List<StoredEvent<Object>> events = streams.get(stream);
            return events == null ? 0 : events.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes (use an empty set for every type)");
        EventStore.checkReadLimit(limit);
        lock.readLock().lock();
        try {
            // Sequence n sits at index n - 1; commit order is always 0 here.
            long start = after.commitOrder() > 0 ? log.size() : after.sequence();
            List<StoredEvent<Object>> page = new ArrayList<>(Math.min(limit, 256));
            for (long i = start; i < log.size() && page.size() < limit; i++) {
                StoredEvent<Object> event = log.get((int) i);
                if (event != null && (eventTypes.isEmpty() || eventTypes.contains(event.eventType()))) {
                    page.add(event);
                }
            }
            return page;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Position latestPosition() {
        lock.readLock().lock();
        try {
            for (int i = log.size() - 1; i >= 0; i--) {
                if (log.get(i) != null) {
                    return log.get(i).position();
                }
            }
            return Position.START;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<StoredEvent<Object>> readStreamType(String streamType, Position after, int limit) {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(after, "after");
        EventStore.checkReadLimit(limit);
        lock.readLock().lock();
        try {
            long start = after.commitOrder() > 0 ? log.size() : after.sequence();
            List<StoredEvent<Object>> page = new ArrayList<>(Math.min(limit, 256));
            for (long i = start; i < log.size() && page.size() < limit; i++) {
                StoredEvent<Object> event = log.get((int) i);
                if (event != null && event.streamType().equals(streamType)) {
                    page.add(event);
                }
            }
            return page;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------------------------ stream life cycle

    @Override
    public StreamStatus status(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        lock.readLock().lock();
        try {
            return statuses.getOrDefault(stream, StreamStatus.ACTIVE);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void archive(StreamRef stream) {
        changeStatus(stream, StreamStatus.ARCHIVED, null);
    }

    @Override
    public void restore(StreamRef stream) {
        changeStatus(stream, StreamStatus.ACTIVE, null);
    }

    @Override
    public void tombstone(StreamRef stream) {
        changeStatus(stream, StreamStatus.TOMBSTONED, null);
    }

    @Override
    public void tombstone(StreamRef stream, String reason) {
        StreamAdmin.checkReason(reason);
        changeStatus(stream, StreamStatus.TOMBSTONED, reason);
    }

    @Override
    public Optional<Tombstone> tombstoneOf(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        lock.readLock().lock();
        try {
            return Optional.ofNullable(tombstones.get(stream));
        } finally {
            lock.readLock().unlock();
        }
    }

    private void changeStatus(StreamRef stream, StreamStatus target, String reason) {
        Objects.requireNonNull(stream, "stream");
        lock.writeLock().lock();
        try {
            StreamStatus current = statuses.getOrDefault(stream, StreamStatus.ACTIVE);
            if (current == target) {
                return;                                   // repeating an operation changes nothing, not even a reason
            }
            if (current == StreamStatus.TOMBSTONED) {
                throw new StreamTombstonedException(stream);
            }
            if (target == StreamStatus.ACTIVE) {
                statuses.remove(stream);
            } else {
                statuses.put(stream, target);
            }
            if (target == StreamStatus.TOMBSTONED) {
                tombstones.put(stream, new Tombstone(stream, reason, clock.instant()));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long delete(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        lock.writeLock().lock();
        try {
            // As on the database stores, the stream is forgotten, its status with it.
            statuses.remove(stream);
            tombstones.remove(stream);
            List<StoredEvent<Object>> events = streams.remove(stream);
            if (events == null) {
                return 0;
            }
            for (StoredEvent<Object> event : events) {
                int index = (int) event.globalPosition() - 1;
                log.set(index, null);                     // positions of removed events are never reused
                dcbTags.remove(event.globalPosition());
            }
            idempotency.values().removeIf(previous -> previous.stream().equals(stream));
            return events.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------------------------ dynamic consistency

    @Override
    public List<StoredEvent<Object>> read(Query query, Position after, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        EventStore.checkReadLimit(limit);
        lock.readLock().lock();
        try {
            long start = after.commitOrder() > 0 ? log.size() : after.sequence();
            List<StoredEvent<Object>> page = new ArrayList<>(Math.min(limit, 256));
            for (long i = start; i < log.size() && page.size() < limit; i++) {
                StoredEvent<Object> event = log.get((int) i);
                if (event != null && matches(query, event)) {
                    page.add(event);
                }
            }
            return page;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public AppendResult append(List<?> events, AppendCondition condition, dev.eskit.Metadata metadata) {
        PreparedDcbAppend prepared = PreparedDcbAppend.prepare(types, events, metadata);
        AppendResult result;
        lock.writeLock().lock();
        try {
            if (condition != null) {
                Position after = condition.afterOrStart();
                long start = after.commitOrder() > 0 ? log.size() : after.sequence();
                for (long i = start; i < log.size(); i++) {
                    StoredEvent<Object> event = log.get((int) i);
                    if (event != null && matches(condition.query(), event)) {
                        throw new AppendConditionFailedException(condition, event.position());
                    }
                }
            }
            // The write lock is reentrant: the stream append below runs under this same lock.
            result = appendLocked(prepared.request(), null);
            for (int i = 0; i < result.events().size(); i++) {
                dcbTags.put(result.events().get(i).globalPosition(), prepared.tags().get(i));
            }
        } finally {
            lock.writeLock().unlock();
        }
        // Wake subscribers only after the lock is released, as stream appends do.
        notifyAppended();
        return result;
    }

    private boolean matches(Query query, StoredEvent<Object> event) {
        List<Tag> tags = dcbTags.get(event.globalPosition());
        if (tags == null) {
            tags = types.byName(event.eventType()).tagsOf(event.data());
        }
        return query.matches(event.eventType(), tags);
    }
}
