package dev.eskit.subscription;

import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import dev.eskit.store.ForwardingEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reads the log after the subscription's position and tracks that position. When the store cannot decode an event,
 * the reads that follow ask for half as many events each time, so that the events before it are delivered; once a
 * read of one event fails, that event is the poison ({@link Poison}).
 */
final class Reader {

    /** What a read found. */
    sealed interface Read permits Page, Narrowed, Poison {
    }

    /**
     * Events after the position.
     *
     * @param events the events, in log order
     * @param limit  how many the read asked for: fewer came back when it reached the end of the log
     */
    record Page(List<StoredEvent<Object>> events, int limit) implements Read {
    }

    /** An undecodable event is among the next {@code limit}: the next read asks for fewer. */
    record Narrowed(EventDecodingException cause) implements Read {
    }

    /** The next event cannot be decoded. */
    record Poison(StoredEventHeader event, EventDecodingException cause) implements Read {
    }

    private final EventStore store;
    private final Set<String> eventTypes;
    private final int batchSize;

    private volatile Position position = Position.START;
    /** Number of the latest read started. */
    private volatile long readsStarted;
    /** Number of the latest read that reached the end of the log with all its events handled. */
    private volatile long caughtUpRead;
    /** How many events the next read asks for (worker thread). */
    private int readLimit;

    Reader(EventStore store, Set<String> eventTypes, int batchSize) {
        this.store = store;
        this.eventTypes = eventTypes;
        this.batchSize = batchSize;
        this.readLimit = batchSize;
    }

    /** The position of the last event handled or moved past. */
    Position position() {
        return position;
    }

    /** Moves the position past an event handled or dead-lettered. */
    void moveTo(Position value) {
        position = value;
    }

    /** Starts reading from {@code from} with full-size reads. */
    void reset(Position from) {
        position = from;
        readLimit = batchSize;
    }

    /** Numbers the read about to start. */
    long beginRead() {
        long number = readsStarted + 1;
        readsStarted = number;
        return number;
    }

    /** Read {@code number} reached the end of the log and all its events are handled. */
    void caughtUp(long number) {
        caughtUpRead = number;
    }

    long readsStarted() {
        return readsStarted;
    }

    /** Whether a read started after read {@code number} has caught up. */
    boolean caughtUpAfter(long number) {
        return caughtUpRead > number;
    }

    /**
     * Reads the next events after the position.
     *
     * @throws RuntimeException when the store fails (the caller retries)
     */
    Read next() {
        int limit = readLimit;
        List<StoredEvent<Object>> page;
        try {
            page = store.readAll(position, limit, eventTypes);
        } catch (EventDecodingException e) {
            if (e.event().isEmpty()) {
                throw e;
            }
            if (limit > 1) {
                readLimit = limit / 2;
                return new Narrowed(e);
            }
            readLimit = batchSize;
            return new Poison(e.event().get(), e);
        }
        // A full page before an undecodable event: keep the smaller reads until it is dealt with.
        if (page.size() != limit || limit >= batchSize) {
            readLimit = batchSize;
        }
        return new Page(page, limit);
    }

    /**
     * Whether {@code target} is handled or readable now: an unfiltered read after the position shows an event at or
     * after it. (The log is read in position order, so an event after {@code target} is readable only when
     * {@code target} is.) A full page of earlier events proves nothing yet; the caller asks again later.
     */
    boolean readable(Position target) {
        Position from = position;
        if (from.compareTo(target) >= 0) {
            return true;
        }
        List<StoredEvent<Object>> page;
        try {
            page = store.readAll(from, 256, Set.of());
        } catch (EventDecodingException e) {
            // An undecodable event is readable too; the subscription dead-letters it or halts on it.
            return e.event().isPresent() && e.event().get().position().compareTo(target) >= 0;
        }
        return !page.isEmpty() && page.get(page.size() - 1).position().compareTo(target) >= 0;
    }

    /** How far the position is behind the log: see {@link Subscription#lag(int)}. */
    SubscriptionLag lag(int cap, Clock clock) {
        EventStore.checkReadLimit(cap);
        BacklogProbe probe = probe(store);
        if (probe != null) {
            return probe.backlog(position, eventTypes, cap, clock.instant());
        }
        List<StoredEvent<Object>> waiting;
        try {
            waiting = store.readAll(position, cap, eventTypes);
        } catch (EventDecodingException e) {
            // The next event cannot even be decoded: at least that one waits.
            Duration age = e.event().map(h -> Duration.between(h.timestamp(), clock.instant())).orElse(Duration.ZERO);
            return new SubscriptionLag(1, true, age.isNegative() ? Duration.ZERO : age);
        }
        Duration age = waiting.isEmpty() ? Duration.ZERO
                : Duration.between(waiting.get(0).timestamp(), clock.instant());
        return new SubscriptionLag(waiting.size(), waiting.size() == cap, age.isNegative() ? Duration.ZERO : age);
    }

    /** The store itself, or the first store down its chain of decorators, that is a {@link BacklogProbe}. */
    private static BacklogProbe probe(EventStore store) {
        EventStore current = store;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current instanceof BacklogProbe probe) {
                return probe;
            }
            current = current instanceof ForwardingEventStore forwarding ? forwarding.delegate() : null;
        }
        return null;
    }
}
