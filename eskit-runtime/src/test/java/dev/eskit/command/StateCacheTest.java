package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link StateCache}'s bound is on the total: as many streams as the bound all stay however unevenly they fall into
 * segments, more evict, and the total never passes the bound, also under threads that put, replace and remove at once.
 */
class StateCacheTest {

    private static StreamRef stream(int i) {
        return StreamRef.of("account", "a-" + i);
    }

    private static StateCache.Entry<Integer> entry(long version) {
        return new StateCache.Entry<>((int) version, version, UUID.randomUUID(), null);
    }

    @Test
    void asManyStreamsAsTheBoundAllStayInASegmentedCache() {
        // 2,000 streams over 7 segments: some segments get more than a seventh; none may evict before the total is
        // reached (a cache sized to its streams used to miss in its fuller segments on every pass).
        StateCache<Integer> cache = new StateCache<>(2_000);
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < 2_000; i++) {
                if (pass > 0) {
                    assertNotNull(cache.get(stream(i)), "stream " + i + " was evicted in pass " + pass);
                }
                cache.put(stream(i), entry(pass + 1));
            }
        }
        assertEquals(2_000, cache.size());
    }

    @Test
    void moreStreamsThanTheBoundEvictAndTheNewestStays() {
        StateCache<Integer> cache = new StateCache<>(1_000);
        for (int i = 0; i < 5_000; i++) {
            cache.put(stream(i), entry(1));
            assertNotNull(cache.get(stream(i)), "the stream just cached");
            assertTrue(cache.size() <= 1_000);
        }
        assertEquals(1_000, cache.size());
        assertNull(cache.get(stream(0)), "the oldest streams are gone");
    }

    @Test
    void aSmallCacheIsOneExactLruMap() {
        StateCache<Integer> cache = new StateCache<>(3);
        cache.put(stream(1), entry(1));
        cache.put(stream(2), entry(1));
        cache.put(stream(3), entry(1));
        cache.get(stream(1));
        cache.put(stream(4), entry(1));
        assertNull(cache.get(stream(2)), "the least recently used");
        assertNotNull(cache.get(stream(1)));
        assertNotNull(cache.get(stream(3)));
        assertNotNull(cache.get(stream(4)));
    }

    @Test
    void aReplacementKeepsTheLaterVersionAndTakesNoSlot() {
        StateCache<Integer> cache = new StateCache<>(2);
        cache.put(stream(1), entry(5));
        cache.put(stream(1), entry(3));
        assertEquals(5, cache.get(stream(1)).version());
        cache.put(stream(1), entry(6));
        cache.put(stream(2), entry(1));
        assertEquals(2, cache.size());
        assertEquals(6, cache.get(stream(1)).version());
        assertNotNull(cache.get(stream(2)), "a replacement did not use a second slot");
    }

    @Test
    void aLaterPutAtTheSameVersionWins() {
        // The same version with another last event: the stream was deleted and written again; the later fact holds.
        StateCache<Integer> cache = new StateCache<>(4);
        UUID before = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        cache.put(stream(1), new StateCache.Entry<>(1, 3, before, null));
        cache.put(stream(1), new StateCache.Entry<>(2, 3, after, null));
        assertEquals(after, cache.get(stream(1)).lastEventId());
        assertEquals(2, cache.get(stream(1)).state());
    }

    @Test
    void aStreamReadFirstStaysReadFirstAcrossLaterEntries() {
        StateCache<Integer> cache = new StateCache<>(4);
        cache.put(stream(1), new StateCache.Entry<>(1, 1, UUID.randomUUID(), null, true));
        UUID later = UUID.randomUUID();
        cache.put(stream(1), new StateCache.Entry<>(2, 2, later, null));
        StateCache.Entry<Integer> kept = cache.get(stream(1));
        assertTrue(kept.readFirst(), "still read first");
        assertEquals(2, kept.version());
        assertEquals(later, kept.lastEventId());
        cache.put(stream(2), new StateCache.Entry<>(1, 1, UUID.randomUUID(), null));
        cache.put(stream(2), new StateCache.Entry<>(2, 2, UUID.randomUUID(), null));
        assertFalse(cache.get(stream(2)).readFirst(), "an entry never read first does not become so");
    }

    @Test
    void removeAndClearGiveTheirSlotsBack() {
        StateCache<Integer> cache = new StateCache<>(600);
        for (int i = 0; i < 600; i++) {
            cache.put(stream(i), entry(1));
        }
        for (int i = 0; i < 100; i++) {
            cache.remove(stream(i));
            cache.remove(stream(i));
        }
        assertEquals(500, cache.size());
        for (int i = 1_000; i < 1_100; i++) {
            cache.put(stream(i), entry(1));
        }
        assertEquals(600, cache.size());
        for (int i = 100; i < 600; i++) {
            assertNotNull(cache.get(stream(i)), "freed slots were used before anything was evicted");
        }
        cache.clear();
        assertEquals(0, cache.size());
        for (int i = 0; i < 600; i++) {
            cache.put(stream(i), entry(1));
        }
        assertEquals(600, cache.size());
    }

    @Test
    void streamsSpreadOverEverySegment() {
        // 4,096 streams over 16 segments: each gets about 256; the hash is mixed so that none gets far more or less.
        StateCache<Integer> cache = new StateCache<>(4_096);
        assertEquals(16, cache.segmentCount());
        int[] counts = new int[16];
        for (int i = 0; i < 4_096; i++) {
            counts[cache.segmentIndex(stream(i))]++;
        }
        for (int segment = 0; segment < 16; segment++) {
            assertTrue(counts[segment] > 160 && counts[segment] < 360,
                    "segment " + segment + " holds " + counts[segment] + " of 4,096 streams");
        }
    }

    @Test
    void aNewStreamWhoseSegmentIsEmptyEvictsFromAnotherSegment() {
        StateCache<Integer> cache = new StateCache<>(1_024);
        assertEquals(4, cache.segmentCount());
        // Fill the whole bound with streams of segments 1-3; then a stream of segment 0 comes.
        List<StreamRef> others = new ArrayList<>();
        StreamRef first = null;
        for (int i = 0; others.size() < 1_024 || first == null; i++) {
            if (cache.segmentIndex(stream(i)) != 0) {
                if (others.size() < 1_024) {
                    others.add(stream(i));
                }
            } else if (first == null) {
                first = stream(i);
            }
        }
        for (StreamRef other : others) {
            cache.put(other, entry(1));
        }
        cache.put(first, entry(1));
        assertNotNull(cache.get(first), "the new stream is cached");
        assertEquals(1_024, cache.size());
        int kept = 0;
        for (StreamRef other : others) {
            kept += cache.get(other) == null ? 0 : 1;
        }
        assertEquals(1_023, kept, "exactly one stream of another segment made room");
    }

    @Test
    void threadsPuttingAndRemovingAtOnceNeverPassTheBoundAndLeaveItExact() throws Exception {
        int bound = 600;
        StateCache<Integer> cache = new StateCache<>(bound);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger over = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(seed);
                    for (int i = 0; i < 40_000; i++) {
                        StreamRef stream = stream(random.nextInt(1_500));
                        int action = random.nextInt(10);
                        if (action < 6) {
                            cache.put(stream, entry(random.nextInt(5)));
                        } else if (action < 8) {
                            cache.get(stream);
                        } else {
                            cache.remove(stream);
                        }
                    }
                    return null;
                }));
            }
            Future<?> watcher = pool.submit(() -> {
                start.await();
                while (!done.stream().allMatch(Future::isDone)) {
                    if (cache.size() > bound) {
                        over.incrementAndGet();
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            watcher.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, over.get(), "the count passed the bound");
        // The slots taken match the entries: count the entries one by one, after filling the cache with new streams.
        for (int i = 10_000; i < 10_000 + 2 * bound; i++) {
            cache.put(stream(i), entry(1));
        }
        int present = 0;
        for (int i = 0; i < 1_500; i++) {
            present += cache.get(stream(i)) == null ? 0 : 1;
        }
        for (int i = 10_000; i < 10_000 + 2 * bound; i++) {
            present += cache.get(stream(i)) == null ? 0 : 1;
        }
        assertEquals(bound, present, "entries");
        assertEquals(bound, cache.size());
    }
}
