package dev.eskit.jdbi;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventType;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.Tag;
import dev.eskit.internal.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;

/**
 * The append transaction, top to bottom: encode (before any connection is taken), then in one transaction lock the
 * stream, check the idempotency key, the stream's status and the expected version, insert the events and their tags,
 * record the key, and commit. A DCB append first takes its boundary locks and checks its condition. Every kind runs
 * the same {@link #appendIn} steps, in the store's own transaction or in the application's.
 */
final class AppendTransaction {

    private static final int MAX_ATTEMPTS = 5;
    private static final long[] NO_KEYS = new long[0];

    private final Database db;
    private final Dialect dialect;
    private final EventCodec codec;
    private final Clock clock;
    private final AppendHook hook;
    private final EventReader reader;
    /** The shared boundary keys of one untagged event, by event type (see {@link #sharedKeys}). */
    private final java.util.concurrent.ConcurrentHashMap<String, long[]> untaggedKeys =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Combines concurrent plain appends into one transaction; {@code null} when group commit is off. */
    private final GroupCommit groups;

    AppendTransaction(Database db, EventCodec codec, Clock clock, AppendHook hook, EventReader reader) {
        this(db, codec, clock, hook, reader, true, 0);
    }

    /**
     * @param groupCommit  whether concurrent plain appends share transactions
     * @param groupWriters how many groups may be written at once; 0 for the engine's choice
     */
    AppendTransaction(Database db, EventCodec codec, Clock clock, AppendHook hook, EventReader reader,
                      boolean groupCommit, int groupWriters) {
        this.groups = groupCommit ? new GroupCommit(groupWriters > 0 ? groupWriters : db.groupWriters(),
                PostgresAppends.MAX_MEMBERS, dev.eskit.Limits.MAX_EVENTS_PER_APPEND) : null;
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
        this.clock = clock;
        this.hook = hook;
        this.reader = reader;
    }

    /** Which transaction an append's steps run in. */
    private enum In {
        /** The store's own, started by the append's first statement. */
        OWN,
        /** The store's own, started by a DCB append's boundary locks. */
        BOUNDARY_LOCKED,
        /** The application's, which may have written (and got a transaction id) before. */
        APPLICATION
    }

    /** What an append wrote: the version before it and the events' positions. */
    record Written(long baseVersion, Position[] positions) {
    }

    /** Unwinds an append transaction (rolling it back) when the idempotency key was seen before. */
    static final class DuplicateAppend extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long firstVersion;
        final long lastVersion;

        DuplicateAppend(long firstVersion, long lastVersion) {
            super(null, null, false, false);
            this.firstVersion = firstVersion;
            this.lastVersion = lastVersion;
        }
    }

    /**
     * A plain append in a transaction of its own, or in one shared with concurrent appends (group commit), retried
     * when a concurrent writer's unique row got there first.
     */
    AppendResult append(AppendRequest request) {
        EncodedAppend encoded = encode(request, null);
        return append(request, encoded, new PendingAppend(request, encoded, sharedKeys(encoded)), groups == null);
    }

    /**
     * Writes {@code pending} alone or in a group until it is written or refused; {@code null} for an append at a known
     * last event that found the stream elsewhere.
     */
    private AppendResult append(AppendRequest request, EncodedAppend encoded, PendingAppend pending, boolean alone) {
        for (int attempt = 1; ; attempt++) {
            if (alone) {
                writeAlone(pending);
            } else {
                groups.submit(pending, this::writeGroup);
            }
            if (pending.written != null) {
                return new AppendResult(stored(request, encoded, pending.written), false);
            }
            if (pending.missedHead) {
                return null;
            }
            if (pending.refused instanceof DuplicateAppend duplicate) {
                List<StoredEvent<Object>> original = reader.load(request.stream(), duplicate.firstVersion,
                        duplicate.lastVersion);
                if (!original.isEmpty()) {
                    return new AppendResult(original, true);
                }
                // The stream was deleted (and its keys with it) since: the key is free again, so append.
            } else if (pending.refused != null) {
                throw pending.refused;
            } else if (pending.broken instanceof AppendOutcomeUnknownException unknown) {
                // The group's COMMIT may have happened: a retry could write the append twice.
                throw unknown.stream().equals(request.stream()) && unknown.eventIds().get(0).equals(encoded.id(0))
                        ? unknown : unknown.forAppend(request.stream(), AppendOutcomeUnknownException.ids(encoded));
            } else if (pending.wholeGroup) {
                // Another member's failure (or the database's) ended the group's transaction: try this one alone.
                alone = true;
            } else if (pending.failed != null) {
                // A unique violation means a concurrent writer got there first (an idempotency key used by two
                // appends at once, a stream written outside this store): run the checks again on fresh data.
                if (!dialect.isUniqueViolation(pending.failed)) {
                    throw new StoreAccessException("append to " + request.stream(), pending.failed);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new ConcurrencyException(request.stream(), request.expected(),
                            reader.streamVersion(request.stream()));
                }
            } else if (pending.broken instanceof JdbiException e) {
                throw Database.unreachable("append to " + request.stream(), e);
            } else if (pending.broken instanceof RuntimeException e) {
                throw e;
            } else if (pending.broken instanceof Error e) {
                throw e;
            } else {
                throw new StoreAccessException("The append to " + request.stream() + " failed: "
                        + pending.broken, pending.broken);
            }
            if (attempt >= MAX_ATTEMPTS * 2) {
                throw new StoreAccessException("The append to " + request.stream() + " did not get through in "
                        + attempt + " attempts; check the database's health and retry.", (Throwable) pending.failed);
            }
            pending.reset();
        }
    }

    /**
     * Whether {@link #appendAtHead} can write on this database (it has the statement, and no append hook runs
     * inside every append transaction).
     */
    boolean appendsAtHead() {
        return hook == null && db.appendsAtHead();
    }

    /**
     * A plain append only if the stream is open at the request's exact version with {@code head} as the id of its
     * event there ({@link dev.eskit.store.HeadAppender}); {@code null} when it is not, or when the request has no lean
     * statement here (an idempotency key, tags; on SQLite several events): nothing is written then. In a group like
     * any other append when group commit is on.
     */
    AppendResult appendAtHead(AppendRequest request, UUID head) {
        if (!appendsAtHead() || request.idempotencyKey() != null
                || !(request.expected() instanceof ExpectedVersion.Exactly exactly) || exactly.version() < 1) {
            return null;
        }
        EncodedAppend encoded = encode(request, null);
        PendingAppend pending = new PendingAppend(request, encoded, sharedKeys(encoded));
        pending.head = head;
        if (!db.canWriteAtHead(pending)) {
            return null;
        }
        return append(request, encoded, pending, groups == null);
    }

    /** The group committer, or {@code null} when group commit is off (for tests). */
    GroupCommit groups() {
        return groups;
    }

    private void writeAlone(PendingAppend pending) {
        try {
            writeGroup(List.of(pending));
        } catch (Throwable failure) {
            PendingAppend.failAll(List.of(pending), failure);
        }
    }

    /** Writes {@code group} in one transaction; a group of one may throw its refusal, settled here. */
    private void writeGroup(List<PendingAppend> group) throws SQLException {
        try {
            db.writeGroup(group, (connection, member) -> appendIn(connection, member.request, member.encoded,
                    member.sharedKeys, In.OWN), hook);
        } catch (RuntimeException refused) {
            if (group.size() > 1 || refused instanceof JdbiException) {
                throw refused;
            }
            PendingAppend only = group.get(0);
            only.written = null;
            only.refused = refused;
        }
    }

    /**
     * An append on {@code connection}, inside a transaction the application began and will commit or roll back.
     * A duplicate idempotency key returns the original events (the transaction stays usable).
     */
    AppendResult appendInTransaction(Connection connection, AppendRequest request) {
        EncodedAppend encoded = encode(request, null);
        long[] keys = sharedKeys(encoded);
        try {
            PendingAppend pending = new PendingAppend(request, encoded, keys);
            if (db.writeInTransaction(connection, pending, hook)) {
                if (pending.refused != null) {
                    // A duplicate key is caught below and answered with the original events.
                    throw pending.refused;
                }
                return new AppendResult(stored(request, encoded, pending.written), false);
            }
            db.joinTransaction(connection);
            // A refused append undoes its steps (a new stream's row, its events) and leaves the application's work
            // alone.
            Savepoint before = connection.setSavepoint();
            Written written;
            try {
                written = appendIn(connection, request, encoded, keys, In.APPLICATION);
            } catch (RuntimeException | SQLException failure) {
                connection.rollback(before);
                throw failure;
            }
            connection.releaseSavepoint(before);
            return new AppendResult(stored(request, encoded, written), false);
        } catch (DuplicateAppend duplicate) {
            return new AppendResult(reader.load(request.stream(), duplicate.firstVersion, duplicate.lastVersion),
                    true);
        } catch (SQLException e) {
            throw new StoreAccessException("append to " + request.stream() + " in your transaction", e);
        }
    }

    /** A DCB append: boundary locks, the condition check, then the append's steps, in one transaction. */
    AppendResult appendByCondition(AppendRequest request, List<List<Tag>> tags, AppendCondition condition) {
        EncodedAppend encoded = encode(request, tags);
        BoundaryLocks locks = eventKeys(encoded);
        if (condition != null) {
            locks.condition(condition.query());
        }
        BoundaryLocks.Keys keys = locks.keys();
        String operation = "append by condition to " + request.stream();
        PendingAppend pending = new PendingAppend(request, encoded, NO_KEYS);
        boolean own;
        try {
            own = db.writeConditional(pending, keys, condition, hook);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw Database.unreachable(operation, e);
        }
        if (own) {
            if (pending.refused != null) {
                throw pending.refused;
            }
            return new AppendResult(stored(request, encoded, pending.written), false);
        }
        Written written = db.writing(operation, handle -> {
            Connection connection = handle.getConnection();
            db.lockBoundary(connection, keys.keys(), keys.exclusive());
            if (condition != null) {
                Position conflict = reader.findConflict(connection, condition.query(), condition.afterOrStart());
                if (conflict != null) {
                    throw new AppendConditionFailedException(condition, conflict);
                }
            }
            return appendIn(connection, request, encoded, new long[0], In.BOUNDARY_LOCKED);
        });
        return new AppendResult(stored(request, encoded, written), false);
    }

    /**
     * The append's steps inside an open transaction. {@code sharedKeys} are the boundary keys of the events, taken
     * after the stream lock.
     */
    private Written appendIn(Connection connection, AppendRequest request, EncodedAppend encoded, long[] sharedKeys,
                             In in) throws SQLException {
        StreamRef stream = request.stream();
        Database.StreamHead head = db.lockStream(connection, stream, encoded.size(), sharedKeys, in == In.OWN);
        if (in == In.APPLICATION && !db.keepsStreamOrder(connection, stream, head)) {
            // The application's transaction got its id before the stream's last append did: its events would come
            // before that append's in the log. Retrying the whole transaction gives it a later id.
            throw new ConcurrencyException(stream, request.expected(), head.version());
        }
        String key = request.idempotencyKey();
        if (key != null) {
            checkKey(connection, key, stream);
        }
        if (head.status() == Dialect.TOMBSTONED) {
            throw new StreamTombstonedException(stream);
        }
        if (head.status() == Dialect.ARCHIVED) {
            throw new StreamArchivedException(stream);
        }
        if (!request.expected().matches(head.version())) {
            throw new ConcurrencyException(stream, request.expected(), head.version());
        }
        Position[] positions = db.insertEvents(connection, head, encoded);
        if (encoded.hasTags()) {
            db.insertTags(connection, positions, encoded);
        }
        if (key != null) {
            recordKey(connection, key, stream, head.version() + 1, head.version() + encoded.size(),
                    encoded.timestamp());
        }
        if (hook != null) {
            hook.beforeCommit(stream);
        }
        return new Written(head.version(), positions);
    }

    private void checkKey(Connection connection, String key, StreamRef stream) throws SQLException {
        PreparedStatement find = db.prepare(connection, dialect.findKeySql);
        try {
            find.setString(1, key);
            try (ResultSet row = find.executeQuery()) {
                if (row.next()) {
                    StreamRef first = StreamRef.of(row.getString(1), row.getString(2));
                    if (!first.equals(stream)) {
                        throw new IdempotencyKeyReusedException("Idempotency key \"" + key
                                + "\" was first used for stream " + first + ", not " + stream
                                + ". Use a key that identifies one operation on one stream.");
                    }
                    throw new DuplicateAppend(row.getLong(3), row.getLong(4));
                }
            }
        } finally {
            db.release(find);
        }
    }

    private void recordKey(Connection connection, String key, StreamRef stream, long first, long last,
                           Instant timestamp) throws SQLException {
        PreparedStatement insert = db.prepare(connection, dialect.insertKeySql);
        try {
            insert.setString(1, key);
            insert.setString(2, stream.type());
            insert.setString(3, stream.id());
            insert.setLong(4, first);
            insert.setLong(5, last);
            dialect.setInstant(insert, 6, timestamp);
            insert.executeUpdate();
        } finally {
            db.release(insert);
        }
    }

    /** Encodes the events; {@code tags} are the DCB append's, or {@code null} to take each event type's own. */
    private EncodedAppend encode(AppendRequest request, List<List<Tag>> tags) {
        List<?> events = request.events();
        EncodedEvent[] encoded = new EncodedEvent[events.size()];
        UUID[] ids = new UUID[encoded.length];
        // The events' own tags, when the caller gave none: kept only if some event has one (else null, "no tags"); the
        // type of the previous event's class is reused (a batch is mostly of one type).
        List<List<Tag>> eventTags = tags;
        Class<?> lastClass = null;
        EventType<?> lastType = null;
        byte[] metadata = request.metadata().isEmpty() ? null : codec.encodeMetadata(request.metadata());
        long perEvent = metadata == null ? 0 : metadata.length;
        long bytes = 0;
        for (int i = 0; i < encoded.length; i++) {
            Object event = events.get(i);
            if (tags == null) {
                if (event.getClass() != lastClass) {
                    lastClass = event.getClass();
                    lastType = codec.types().byClass(lastClass);
                }
                List<Tag> own = lastType.tagsOf(event);
                if (!own.isEmpty() && eventTags == null) {
                    eventTags = new ArrayList<>(encoded.length);
                    for (int before = 0; before < i; before++) {
                        eventTags.add(List.of());
                    }
                }
                if (eventTags != null) {
                    eventTags.add(own);
                }
            }
            ids[i] = Ids.timeOrdered();
            // With its id and stream, so personal data is bound to its event (dev.eskit.gdpr).
            encoded[i] = codec.encode(event, dev.eskit.codec.EventContext.writing(ids[i], request.stream()));
            bytes += encoded[i].data().length + perEvent;
            dev.eskit.Limits.checkAppendBytes(request.stream(), i, encoded.length, bytes);
        }
        // Both databases keep microseconds; truncating here makes returned events equal to loaded ones.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new EncodedAppend(request.stream(), ids, encoded, metadata, now, eventTags);
    }

    /**
     * The shared boundary keys of a plain append's events. Those of untagged events of one type depend on the type
     * alone and are kept per type (the types a store writes are its registered ones, a bounded set); the array is
     * never changed. Tags or several types: computed. None where the database takes none (SQLite).
     */
    private long[] sharedKeys(EncodedAppend encoded) {
        if (!db.takesBoundaryKeys()) {
            return NO_KEYS;
        }
        if (!encoded.hasTags()) {
            String first = encoded.event(0).type();
            boolean oneType = true;
            for (int i = 1; i < encoded.size() && oneType; i++) {
                oneType = first.equals(encoded.event(i).type());
            }
            if (oneType) {
                return untaggedKeys.computeIfAbsent(first, type -> new BoundaryLocks(dialect.tables.events())
                        .event(type, List.of()).keys().keys());
            }
        }
        return eventKeys(encoded).keys().keys();
    }

    private BoundaryLocks eventKeys(EncodedAppend encoded) {
        BoundaryLocks locks = new BoundaryLocks(dialect.tables.events());
        for (int i = 0; i < encoded.size(); i++) {
            locks.event(encoded.event(i).type(), encoded.tags(i));
        }
        return locks;
    }

    private static List<StoredEvent<Object>> stored(AppendRequest request, EncodedAppend encoded, Written written) {
        List<?> events = request.events();
        List<StoredEvent<Object>> stored = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EncodedEvent event = encoded.event(i);
            stored.add(new StoredEvent<>(encoded.id(i), request.stream(), written.baseVersion() + i + 1,
                    event.type(), event.schemaVersion(), written.positions()[i], encoded.timestamp(),
                    request.metadata(), events.get(i)));
        }
        return stored;
    }
}
