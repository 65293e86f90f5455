package dev.eskit.jdbi;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Limits;
import dev.eskit.Metadata;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Named;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link LargestAppendMemoryTest}, run with a small heap: makes the two largest appends the
 * limits allow (15 events of about 1 MiB with 60 KiB of metadata; 10,000 events with 1.5 KiB of metadata each, the
 * shape that once wrote 1.3 GB), loads each stream back, and prints {@code stored <events> peak <MiB>}: the peak heap
 * the JVM used, summed over its heap pools.
 */
public final class LargestAppendMain {

    private LargestAppendMain() {
    }

    /** Arguments: the location arguments of {@link ProjectionChild}. */
    public static void main(String[] arguments) {
        int stored = 0;
        try (JdbiEventStore store = ProjectionChild.store(List.of(arguments))) {
            String chunk = "y".repeat(1024 * 1024 - 64);
            List<Object> big = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                big.add(new Named(chunk, List.of()));
            }
            StreamRef first = StreamRef.of("bulk", "big-events");
            store.append(AppendRequest.of(first, ExpectedVersion.noStream(), big)
                    .withMetadata(Metadata.correlatedBy("c").with("note", "z".repeat(60 * 1024))));
            big = null;
            stored += store.load(first).size();

            List<Object> many = new ArrayList<>();
            for (int i = 0; i < Limits.MAX_EVENTS_PER_APPEND; i++) {
                many.add(new Named("n" + i, List.of()));
            }
            StreamRef second = StreamRef.of("bulk", "many-events");
            store.append(AppendRequest.of(second, ExpectedVersion.noStream(), many)
                    .withMetadata(Metadata.correlatedBy("c").with("note", "m".repeat(1536))));
            many = null;
            long[] loaded = {0};
            store.load(second, 1, event -> loaded[0]++);
            stored += (int) loaded[0];
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("stored " + stored);
        System.out.println("peak " + (peak / (1024 * 1024)) + " MiB");
        System.out.flush();
    }
}
