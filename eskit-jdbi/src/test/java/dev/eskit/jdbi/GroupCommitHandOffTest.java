package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit}'s hand-offs without a database: each waiting thread is woken for its own append (or for a
 * leader's place), every append is written exactly once, appends a group's writer leaves unsettled are written again
 * alone by their own threads, and an interrupted waiter still gets its outcome.
 */
class GroupCommitHandOffTest {

    private static PendingAppend member(String id) {
        StreamRef stream = StreamRef.of("handoff", id);
        EncodedEvent event = new EncodedEvent("test.Event", 1, new byte[] {'{', '}'}, "json");
        EncodedAppend encoded = new EncodedAppend(stream, new UUID[] {UUID.randomUUID()}, new EncodedEvent[] {event},
                null, Instant.EPOCH);
        return new PendingAppend(new AppendRequest(stream, ExpectedVersion.any(), List.of("e"), Metadata.empty(),
                null), encoded, new long[0]);
    }

    private static void write(PendingAppend member) {
        member.written = new AppendTransaction.Written(0, new Position[] {new Position(1, 1)});
    }

    @Test
    void manyThreadsEachGetTheirOwnAppendWrittenOnceAndLeaveNoLeaderBehind() throws Exception {
        // Several leaders at once: a leaving leader must never hand its place to a thread that already leads (its
        // own append still queued), or a place leaks and, once all have leaked, nobody drains the queue.
        for (int leaders : new int[] {2, 3, 4, 2, 3, 4, 2, 3, 4}) {
            hammer(leaders);
        }
    }

    private void hammer(int leaders) throws Exception {
        GroupCommit groups = new GroupCommit(leaders, 8, 1_000);
        Map<PendingAppend, AtomicInteger> writes = new ConcurrentHashMap<>();
        AtomicBoolean grouped = new AtomicBoolean();
        int threads = 24;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        PendingAppend member = member("t" + thread + "-" + i);
                        writes.put(member, new AtomicInteger());
                        groups.submit(member, group -> {
                            grouped.compareAndSet(false, group.size() > 1);
                            for (PendingAppend written : group) {
                                writes.get(written).incrementAndGet();
                                write(written);
                            }
                            Thread.yield();
                        });
                        assertSame(PendingAppend.State.DONE, member.state);
                        assertNotNull(member.written, "returned with its outcome");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread, writes.size());
        for (AtomicInteger count : writes.values()) {
            assertEquals(1, count.get(), "each append written exactly once");
        }
        assertFalse(groups.writing(), () -> "no leader's place left taken (" + leaders + " leaders)");
        assertEquals(0, groups.queued());
        assertTrue(grouped.get(), "appends were grouped");
    }

    @Test
    void anAppendLeftUnsettledByItsGroupIsWrittenAloneByItsOwnThread() throws Exception {
        GroupCommit groups = new GroupCommit(1, 64, 1_000);
        int followers = 12;
        CountDownLatch release = new CountDownLatch(1);
        PendingAppend first = member("first");
        Map<PendingAppend, Thread> aloneOn = new ConcurrentHashMap<>();
        List<Integer> groupSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupCommit.Writer writer = group -> {
            if (group.get(0) == first) {
                // Hold the only leader's place until every follower has queued: they form the next group.
                assertTrue(release.await(60, TimeUnit.SECONDS));
            }
            if (group.size() == 1 && group.get(0).settleAlone) {
                PendingAppend only = group.get(0);
                only.settleAlone = false;
                aloneOn.put(only, Thread.currentThread());
                write(only);
                return;
            }
            groupSizes.add(group.size());
            for (int i = 0; i < group.size(); i++) {
                if (i % 2 == 1) {
                    group.get(i).settleAlone = true;
                } else {
                    write(group.get(i));
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(followers + 1);
        Map<PendingAppend, Thread> submittedOn = new ConcurrentHashMap<>();
        try {
            Future<?> leader = pool.submit(() -> {
                groups.submit(first, writer);
                return null;
            });
            List<PendingAppend> members = new ArrayList<>();
            List<Future<?>> done = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!groups.writing()) {
                if (System.nanoTime() > deadline) {
                    fail("the first append was not taken");
                }
                Thread.onSpinWait();
            }
            for (int t = 0; t < followers; t++) {
                PendingAppend member = member("f" + t);
                members.add(member);
                done.add(pool.submit(() -> {
                    submittedOn.put(member, Thread.currentThread());
                    groups.submit(member, writer);
                    return null;
                }));
            }
            while (groups.queued() < followers) {
                if (System.nanoTime() > deadline) {
                    fail("the followers did not queue");
                }
                Thread.onSpinWait();
            }
            release.countDown();
            leader.get(60, TimeUnit.SECONDS);
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            assertEquals(List.of(1, followers), groupSizes, "the followers in one group");
            assertEquals(followers / 2, aloneOn.size(), "each unsettled append written alone once");
            for (PendingAppend member : members) {
                assertNotNull(member.written, "written, in its group or alone afterwards");
                assertFalse(member.settleAlone);
            }
            for (Map.Entry<PendingAppend, Thread> alone : aloneOn.entrySet()) {
                assertSame(submittedOn.get(alone.getKey()), alone.getValue(), "by the thread that submitted it");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterruptedWaiterStillGetsItsOutcomeAndKeepsTheInterrupt() throws Exception {
        GroupCommit groups = new GroupCommit(1, 64, 1_000);
        CountDownLatch leaderWriting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PendingAppend first = member("first");
        PendingAppend second = member("second");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> leader = pool.submit(() -> {
                groups.submit(first, group -> {
                    leaderWriting.countDown();
                    assertTrue(release.await(60, TimeUnit.SECONDS));
                    group.forEach(GroupCommitHandOffTest::write);
                });
                return null;
            });
            assertTrue(leaderWriting.await(60, TimeUnit.SECONDS));
            AtomicBoolean keptInterrupt = new AtomicBoolean();
            Thread[] waiter = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<?> follower = pool.submit(() -> {
                waiter[0] = Thread.currentThread();
                started.countDown();
                groups.submit(second, group -> group.forEach(GroupCommitHandOffTest::write));
                keptInterrupt.set(Thread.interrupted());
                return null;
            });
            assertTrue(started.await(60, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (groups.queued() == 0) {
                if (System.nanoTime() > deadline) {
                    fail("the second append did not queue");
                }
                Thread.onSpinWait();
            }
            waiter[0].interrupt();
            assertNull(second.written, "not written while the leader's place is taken");
            release.countDown();
            leader.get(60, TimeUnit.SECONDS);
            follower.get(60, TimeUnit.SECONDS);
            assertNotNull(second.written);
            assertTrue(keptInterrupt.get(), "the interrupt is kept for the caller");
            assertFalse(groups.writing());
        } finally {
            pool.shutdownNow();
        }
    }
}
