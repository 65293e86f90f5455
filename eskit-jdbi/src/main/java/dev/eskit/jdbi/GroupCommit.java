package dev.eskit.jdbi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit by leader and followers, without timers: an appending thread queues its append; if fewer than
 * {@code maxLeaders} groups are being written, it becomes a leader, takes everything queued (its own append and
 * whatever other threads queued meanwhile, up to the limits) and writes it as one transaction; otherwise it waits
 * until a leader has written its append, or a leader's place is free. A lone writer finds the queue empty and an idle
 * leader's place, so it writes its own append at once, alone. Each member's outcome is its own: the writer settles
 * every member (written, refused, or failed with the whole group), or leaves it to be written again alone by its own
 * thread ({@link PendingAppend#settleAlone}), after the others have their results.
 *
 * <p>Each waiting thread parks and is woken alone: when its append is done, or when a leaving leader hands it the
 * leader's place (the oldest queued append's thread). Nobody wakes everyone (a {@code notifyAll} per group cost about
 * 30 wake-ups and monitor hand-offs per group at 32 writers).
 */
final class GroupCommit {

    /** Writes a group of appends in one transaction and settles each member. */
    @FunctionalInterface
    interface Writer {
        /** Writes {@code group}; throwing fails every member with the throwable. */
        void write(List<PendingAppend> group) throws Exception;
    }

    private final Object monitor = new Object();
    private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
    private final int maxLeaders;
    private final int maxMembers;
    private final int maxEvents;
    private int leaders;
    private int largestGroup;

    /**
     * @param maxLeaders how many groups may be written at once (1 for a single-writer database)
     * @param maxMembers the most appends in one group
     * @param maxEvents  the most events in one group (a larger single append still forms a group of its own)
     */
    GroupCommit(int maxLeaders, int maxMembers, int maxEvents) {
        this.maxLeaders = maxLeaders;
        this.maxMembers = maxMembers;
        this.maxEvents = maxEvents;
    }

    /** How many appends wait in the queue now (for tests). */
    int queued() {
        synchronized (monitor) {
            return queue.size();
        }
    }

    /** Whether a group is being written now (for tests). */
    boolean writing() {
        synchronized (monitor) {
            return leaders > 0;
        }
    }

    /** The most appends written in one group so far (for tests). */
    int largestGroup() {
        synchronized (monitor) {
            return largestGroup;
        }
    }

    /**
     * Writes {@code member}, alone or in a group, and returns once its outcome is set. A member the group's writer
     * left {@link PendingAppend#settleAlone unsettled} is then written again by this thread, alone.
     */
    void submit(PendingAppend member, Writer writer) {
        boolean interrupted = false;
        boolean lead;
        synchronized (monitor) {
            queue.add(member);
            member.waiter = Thread.currentThread();
            lead = leaders < maxLeaders;
            if (lead) {
                leaders++;
                member.leading = true;
            }
        }
        try {
            while (!lead) {
                synchronized (monitor) {
                    // Promoted first: a promoted thread holds a leader's place, which lead() gives back.
                    if (member.promoted) {
                        member.promoted = false;
                        member.leading = true;
                        lead = true;
                        break;
                    }
                    if (member.state == PendingAppend.State.DONE) {
                        break;
                    }
                }
                LockSupport.park(this);
                // The append may already be part of a group being written: wait for its outcome, keep the interrupt
                // for the caller (cleared here, or park would return at once).
                interrupted |= Thread.interrupted();
            }
            if (lead) {
                interrupted |= lead(member, writer);
            }
            if (member.settleAlone) {
                List<PendingAppend> alone = List.of(member);
                try {
                    writer.write(alone);
                } catch (Throwable failure) {
                    PendingAppend.failAll(alone, failure);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Writes groups until {@code own} is written, then gives up the leader's place; returns whether the thread was
     * interrupted meanwhile (the interrupt cleared).
     */
    private boolean lead(PendingAppend own, Writer writer) {
        try {
            while (true) {
                List<PendingAppend> group;
                synchronized (monitor) {
                    if (own.state == PendingAppend.State.DONE) {
                        return false;
                    }
                    if (queue.isEmpty()) {
                        // Another leader took this append into its group after this thread got its place: give the
                        // place back (finally) and wait for that group.
                        break;
                    }
                    group = drain();
                }
                try {
                    writer.write(group);
                } catch (Throwable failure) {
                    PendingAppend.failAll(group, failure);
                }
                synchronized (monitor) {
                    largestGroup = Math.max(largestGroup, group.size());
                    for (PendingAppend member : group) {
                        member.groupSize = group.size();
                        member.state = PendingAppend.State.DONE;
                    }
                }
                // Only the threads whose appends are done wake (each waits for its own append).
                for (PendingAppend member : group) {
                    if (member != own) {
                        LockSupport.unpark(member.waiter);
                    }
                }
            }
        } finally {
            release();
        }
        return awaitDone(own);
    }

    /**
     * Gives up a leader's place: hands it to the oldest queued append whose thread neither leads nor was handed a
     * place already, which wakes and leads, or, with no such append queued, frees it.
     */
    private void release() {
        PendingAppend next = null;
        synchronized (monitor) {
            for (PendingAppend queued : queue) {
                // Not to a thread that leads already (its own append still queued while it writes older ones).
                if (!queued.promoted && !queued.leading) {
                    next = queued;
                    break;
                }
            }
            if (next == null) {
                leaders--;
            } else {
                next.promoted = true;
            }
        }
        if (next != null) {
            LockSupport.unpark(next.waiter);
        }
    }

    /** Waits until {@code member} is written; returns whether the thread was interrupted (the interrupt cleared). */
    private boolean awaitDone(PendingAppend member) {
        boolean interrupted = false;
        while (true) {
            synchronized (monitor) {
                if (member.state == PendingAppend.State.DONE) {
                    return interrupted;
                }
            }
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
    }

    /** Takes the next group off the queue, oldest first (at least one append, however large). */
    private List<PendingAppend> drain() {
        List<PendingAppend> group = new ArrayList<>(Math.min(queue.size(), maxMembers));
        int events = 0;
        while (!queue.isEmpty() && group.size() < maxMembers) {
            PendingAppend next = queue.peek();
            if (!group.isEmpty() && events + next.encoded.size() > maxEvents) {
                break;
            }
            queue.poll();
            next.state = PendingAppend.State.TAKEN;
            events += next.encoded.size();
            group.add(next);
        }
        return group;
    }
}
