package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The store cannot tell whether an append was committed. On PostgreSQL an append's transaction is begun, written and
 * committed by one statement string (one round trip); when the connection fails after that string was sent, the
 * server may have committed before the client heard back. Unlike a plain {@link StoreAccessException}, which means
 * nothing was written, this append may be in the store. The store does not retry it.
 *
 * <p>What to do: once the database is reachable, look for the append's events ({@link #eventIds()}, the ids the
 * store gave them, or the stream's version) before appending again; or append with an idempotency key, so that the
 * retry returns the first attempt's events if it did commit. A command retried through the command bus re-reads the
 * stream, so its version check refuses a second copy of an append at a known version.
 */
public final class AppendOutcomeUnknownException extends StoreAccessException {
    private static final long serialVersionUID = 1L;

    private final transient StreamRef stream;
    private final List<UUID> eventIds;
    private final String reason;

    /**
     * Creates the exception for an append to {@code stream} of the events with {@code eventIds}.
     *
     * @param stream   the stream appended to
     * @param eventIds the ids of the append's events, in order
     * @param reason   what happened, for the message
     * @param cause    the failure
     */
    public AppendOutcomeUnknownException(StreamRef stream, List<UUID> eventIds, String reason, Throwable cause) {
        super("The append to " + stream + " may or may not have been committed: " + reason + ". Nothing was retried."
                + " Before appending again, check whether its events are in the store (their ids: " + eventIds
                + "), or retry with an idempotency key.", cause);
        this.stream = stream;
        this.eventIds = List.copyOf(eventIds);
        this.reason = reason;
    }

    /** The stream the append was for. */
    public StreamRef stream() {
        return stream;
    }

    /** The ids of the append's events (those the store gave them), in order. */
    public List<UUID> eventIds() {
        return eventIds;
    }

    /** The same outcome for another append of the same group (each caller gets its own stream and ids). */
    AppendOutcomeUnknownException forAppend(StreamRef other, List<UUID> ids) {
        return new AppendOutcomeUnknownException(other, ids, reason, getCause());
    }

    /** Whether {@code failure} says the connection was lost (SQLState class 08, or the server shutting down). */
    static boolean connectionLost(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** For the first member of {@code group}: the connection failed while the string ending in COMMIT ran. */
    static AppendOutcomeUnknownException lost(List<PendingAppend> group, SQLException failure) {
        return of(group, "the connection failed while its transaction was being committed (SQLState "
                + failure.getSQLState() + ": " + failure.getMessage() + ")", failure);
    }

    /** For the first member of {@code group}: the transaction committed, its result could not be read. */
    static AppendOutcomeUnknownException unread(List<PendingAppend> group, Exception failure) {
        return of(group, "its transaction committed, but its result could not be read (" + failure + ")", failure);
    }

    private static AppendOutcomeUnknownException of(List<PendingAppend> group, String reason, Throwable failure) {
        PendingAppend first = group.get(0);
        return new AppendOutcomeUnknownException(first.request.stream(), ids(first.encoded), reason, failure);
    }

    static List<UUID> ids(EncodedAppend append) {
        List<UUID> ids = new ArrayList<>(append.size());
        for (int i = 0; i < append.size(); i++) {
            ids.add(append.id(i));
        }
        return ids;
    }
}
