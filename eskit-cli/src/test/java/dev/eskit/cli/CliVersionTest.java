package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CliVersionTest {

    @Test
    void versionComesFromTheBuild() {
        // Surefire passes the pom's version; the resource was filtered with the same one.
        String expected = System.getProperty("eskit.expectedVersion");
        String version = CliVersion.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
        if (expected != null) {
            assertEquals(expected, version);
        }
        Cli result = Cli.run("--version");
        assertEquals(0, result.code(), result::toString);
        assertEquals("eskit " + version, result.out().trim());
    }
}
