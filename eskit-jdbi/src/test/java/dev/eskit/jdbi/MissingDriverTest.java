package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC drivers are optional dependencies of eskit-jdbi: a store built from a URL without its driver on the class
 * path says which dependency to add, and creates nothing. Each case runs in a child JVM whose class path lacks the
 * driver's jar.
 */
class MissingDriverTest {

    @TempDir
    Path dir;

    @Test
    void sqliteWithoutItsDriverNamesTheDependencyAndCreatesNoFile() throws Exception {
        Path file = dir.resolve("app.db");
        String printed = runWithout("sqlite-jdbc", "jdbc:sqlite:" + file);
        assertEquals(StoreConfigurationException.class.getName() + ": The SQLite JDBC driver is not on the class path."
                + " eskit-jdbi leaves the driver to the application: add the dependency org.xerial:sqlite-jdbc"
                + " (runtime scope is enough; docs/stores.md names the version eskit is tested with).", printed);
        assertFalse(Files.exists(file), "no database file is created");
    }

    @Test
    void postgresWithoutItsDriverNamesTheDependency() throws Exception {
        // No server is needed: the check runs before the pool connects.
        String printed = runWithout("postgresql", "jdbc:postgresql://127.0.0.1:1/none?user=nobody");
        assertTrue(printed.startsWith(StoreConfigurationException.class.getName()
                + ": The PostgreSQL JDBC driver is not on the class path."), printed);
        assertTrue(printed.contains("add the dependency org.postgresql:postgresql"), printed);
    }

    @Test
    void withItsDriverTheStoreOpens() throws Exception {
        // The same child JVM with the full class path opens the store: the check above is about the jar alone.
        String printed = runWithout("no-such-jar", "jdbc:sqlite:" + dir.resolve("ok.db"));
        assertEquals("opened SQLite", printed);
    }

    private static String runWithout(String jarPrefix, String url) throws IOException, InterruptedException {
        List<String> kept = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith(jarPrefix + "-"))
                .collect(Collectors.toList());
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, kept), MissingDriverMain.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(line -> !line.startsWith("SLF4J")).findFirst().orElse("").trim();
    }
}
