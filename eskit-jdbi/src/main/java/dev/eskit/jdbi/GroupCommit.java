package dev.eskit.jdbi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit by leader and followers, without timers: an appending thread queues its append; if fewer than
 * {@code maxLeaders} groups are being written, it becomes a leader, takes everything queued (its own append and
 * whatever other threads queued meanwhile, up to the limits) and writes it as one transaction; otherwise it waits
 * until a leader has written its append, or a leader's place is free. A lone writer finds the queue empty and an idle
 * leader's place, so it writes its own append at once, alone. Each member's outcome is its own: the writer settles
 * every member (written, refused, or failed with the whole group).
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

    /** Writes {@code member}, alone or in a group, and returns once its outcome is set. */
    void submit(PendingAppend member, Writer writer) {
        boolean interrupted = false;
        try {
            synchronized (monitor) {
                queue.add(member);
                while (member.state == PendingAppend.State.TAKEN
                        || member.state == PendingAppend.State.QUEUED && leaders >= maxLeaders) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        // The append may already be part of a group being written: wait for its outcome, keep the
                        // interrupt for the caller.
                        interrupted = true;
                    }
                }
                if (member.state == PendingAppend.State.DONE) {
                    return;
                }
                leaders++;
            }
            lead(member, writer);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes groups until {@code own} is written, then gives up the leader's place. */
    private void lead(PendingAppend own, Writer writer) {
        boolean leading = true;
        try {
            while (true) {
                List<PendingAppend> group;
                synchronized (monitor) {
                    if (own.state == PendingAppend.State.DONE) {
                        return;
                    }
                    if (queue.isEmpty()) {
                        // Another leader took this append into its group after this thread got its place: give the
                        // place back and wait for that group.
                        leading = false;
                        leaders--;
                        monitor.notifyAll();
                        awaitDone(own);
                        return;
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
                    monitor.notifyAll();
                }
            }
        } finally {
            if (leading) {
                synchronized (monitor) {
                    leaders--;
                    monitor.notifyAll();
                }
            }
        }
    }

    /** Waits (holding the monitor) until {@code member} is written; an interrupt is kept for the caller. */
    private void awaitDone(PendingAppend member) {
        boolean interrupted = false;
        while (member.state != PendingAppend.State.DONE) {
            try {
                monitor.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
