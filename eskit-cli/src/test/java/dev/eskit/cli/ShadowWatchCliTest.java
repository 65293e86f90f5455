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
        CountDownLatch swapped = new CountDownLatch(1);
        Thread swapper = new Thread(() -> {
            try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
                // The application advances the shadow, then swaps (deleting the shadow checkpoint).
                store.checkpoints().save("balances#shadow", Position.of(3));
                store.checkpoints().delete("balances#shadow");
            }
            swapped.countDown();
        });
        Cli[] result = new Cli[1];
        Thread watcher = new Thread(() -> result[0] = Cli.run("projections", "rebuild", "balances", "--shadow",
                "--url", url, "--interval-ms", "200", "--timeout-ms", "60000"));
        watcher.start();
        swapper.start();
        assertTrue(swapped.await(60, TimeUnit.SECONDS));
        watcher.join(60_000);
        assertEquals(ExitCodes.OK, result[0].code(), result[0]::toString);
        assertTrue(result[0].out().contains("balances#shadow at"), result[0].out());
        assertTrue(result[0].out().contains("events to go"), result[0].out());
        assertTrue(result[0].out().contains("Swapped"), result[0].out());
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
