package dev.eskit.jdbi;

import dev.eskit.AppendRequest;
import java.sql.SQLException;

/**
 * One plain append on its way through {@link GroupCommit}: the encoded request, and what became of it, set by the
 * thread that wrote its group (under the group's monitor, which hands it to the appending thread).
 */
final class PendingAppend {

    /** Where the append is: waiting in the queue, taken into a group being written, or written (or refused). */
    enum State { QUEUED, TAKEN, DONE }

    final AppendRequest request;
    final EncodedAppend encoded;
    /** The boundary keys of the events, taken shared after the stream lock (sorted; empty without tags). */
    final long[] sharedKeys;

    /**
     * For an append at a known last event ({@link AppendTransaction#appendAtHead}): the id the stream's event at the
     * expected version must have, else {@code null}. Such an append is written by the lean statement only (alone, or in
     * a group: on PostgreSQL its group statement), never by the general steps.
     */
    java.util.UUID head;
    /** Set when an append at a known last event wrote nothing: the stream is not at that event. */
    boolean missedHead;

    State state = State.QUEUED;
    /** What was written, when the append committed. */
    AppendTransaction.Written written;
    /** Why the append alone was refused (a concurrency conflict, a duplicate key, a tombstoned stream, ...). */
    RuntimeException refused;
    /** A database failure; {@link #wholeGroup} says whether it failed the whole group's transaction. */
    SQLException failed;
    /** Any other failure of the group's transaction (an unreachable database, an error). */
    Throwable broken;
    /** Whether {@link #failed} or {@link #broken} came from the group's transaction, not from this append alone. */
    boolean wholeGroup;
    /** How many appends were in the group that wrote this one (for tests and statistics). */
    int groupSize;
    /** The thread waiting for this append's outcome (the one that submitted it), woken alone when it is written. */
    Thread waiter;
    /** Whether a leaving leader handed its place to this append's thread ({@link GroupCommit}). */
    boolean promoted;
    /**
     * Whether this append's thread holds a leader's place ({@link GroupCommit}): a leaving leader never hands its
     * place to it (the thread would hold two, and one would never be given back).
     */
    boolean leading;
    /**
     * Set by a group's writer when this append wrote nothing in its group's shared statement (a conflict, a closed or
     * missing stream) and must be settled by its own thread afterwards, alone, with the statement that tells why.
     */
    boolean settleAlone;

    PendingAppend(AppendRequest request, EncodedAppend encoded, long[] sharedKeys) {
        this.request = request;
        this.encoded = encoded;
        this.sharedKeys = sharedKeys;
    }

    /**
     * Records a failure of the group's whole transaction on every member of {@code group}: nothing of the group
     * committed, whatever each member's statements had said.
     */
    static void failAll(java.util.List<PendingAppend> group, Throwable failure) {
        for (PendingAppend member : group) {
            member.written = null;
            member.refused = null;
            member.failed = failure instanceof SQLException sql ? sql : null;
            member.broken = failure instanceof SQLException ? null : failure;
            member.wholeGroup = group.size() > 1;
            // Nothing to settle alone: whatever the group's results said before the failure no longer counts.
            member.settleAlone = false;
            member.missedHead = false;
        }
    }

    /** Forgets an earlier outcome, for a retry. */
    void reset() {
        state = State.QUEUED;
        written = null;
        refused = null;
        failed = null;
        broken = null;
        wholeGroup = false;
        missedHead = false;
        groupSize = 0;
        promoted = false;
        leading = false;
        settleAlone = false;
    }
}
