package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eskit projections rebuild NAME --shadow}: following a shadow rebuild by its checkpoint. */
class ShadowWatchCliTest {

    @TempDir
    Path directory;

    private String url;

    @BeforeEach
    void createStore() {
        url = "jdbc:sqlite:" + directory.resolve("shop.db");
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            Fixtures.fill(store);
            store.checkpoints().save("balances#shadow", Position.of(1));
        }
    }

    @Test
    void printsProgressUntilTheSwapRemovesTheShadowCheckpoint() throws Exception {
        CountDownLatch firstReport = new CountDownLatch(1);
        StringBuffer printed = new StringBuffer();
        java.io.Writer signalling = new java.io.Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                printed.append(buffer, offset, length);
                if (printed.indexOf("events to go") >= 0) {
                    firstReport.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        int[] code = new int[1];
        Thread watcher = new Thread(() -> {
            try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
                code[0] = ShadowWatch.watch(store, "balances", java.time.Duration.ofMillis(100),
                        java.time.Duration.ofSeconds(60), new java.io.PrintWriter(signalling));
            }
        });
        watcher.start();
        assertTrue(firstReport.await(60, TimeUnit.SECONDS), "the watcher reported");
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            // The application's rebuild advances the shadow, then swaps (deleting the shadow checkpoint).
            store.checkpoints().save("balances#shadow", Position.of(3));
            store.checkpoints().delete("balances#shadow");
        }
        watcher.join(60_000);
        assertEquals(ExitCodes.OK, code[0], printed::toString);
        assertTrue(printed.toString().contains("balances#shadow at"), printed.toString());
        assertTrue(printed.toString().contains("Swapped"), printed.toString());
    }

    @Test
    void stopsWatchingAfterTheTimeoutWithExitCodeOne() {
        Cli result = Cli.run("projections", "rebuild", "balances", "--shadow", "--url", url, "--interval-ms", "50",
                "--timeout-ms", "200");
        assertEquals(ExitCodes.CHECK_FAILED, result.code(), result::toString);
        assertTrue(result.out().contains("events/s"), result.out());
        assertTrue(result.out().contains("Still rebuilding"), result.out());
    }

    @Test
    void sayHowToStartOneWhenNoShadowRebuildRuns() {
        Cli result = Cli.run("projections", "rebuild", "orders", "--shadow", "--url", url);
        assertEquals(ExitCodes.NOT_FOUND, result.code(), result::toString);
        assertTrue(result.err().contains("ShadowRebuild"), result.err());
    }
}
