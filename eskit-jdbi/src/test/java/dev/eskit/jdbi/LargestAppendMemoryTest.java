package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The largest appends the limits allow (16 MiB in total: a few 1 MiB events, or 10,000 events with metadata) are
 * stored and read back by a JVM with an 80 MB heap, on both databases: memory per append is bounded by the limits,
 * whatever their shape. The child prints its peak heap use, quoted in docs/stores.md (measured: SQLite also passes
 * at 40 MB, PostgreSQL at 64 MB but not at 40 MB).
 */
class LargestAppendMemoryTest {

    static final String HEAP = "-Xmx80m";

    static void largestAppendsInASmallHeap(Databases db) throws Exception {
        Databases.Location location = db.newLocation();
        db.open(location).close(); // creates the tables
        try (ChildJvm child = ChildJvm.start(LargestAppendMain.class, List.of(HEAP, "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError"),
                location.childArguments())) {
            String expected = "stored " + (15 + 10_000);
            assertTrue(child.await(expected, Duration.ofMinutes(4)), "the child did not print \"" + expected
                    + "\" (out of memory under " + HEAP + "?)");
            assertEquals(0, child.awaitExit(Duration.ofMinutes(1)));
            System.out.println(db.getClass().getSimpleName() + ": " + child.lines().stream()
                    .filter(line -> line.startsWith("peak ")).findFirst().orElse("no peak printed"));
        }
    }

    @Nested
    class OnSqlite {
        @RegisterExtension
        static final Databases DB = Databases.sqlite();

        @Test
        void theLargestAllowedAppendsRunIn80Megabytes() throws Exception {
            largestAppendsInASmallHeap(DB);
        }
    }

    @Nested
    class OnPostgres {
        @RegisterExtension
        static final Databases DB = Databases.postgres();

        @Test
        void theLargestAllowedAppendsRunIn80Megabytes() throws Exception {
            largestAppendsInASmallHeap(DB);
        }
    }
}
