package dev.eskit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The version {@code eskit --version} prints: the build's, from {@code version.properties} filtered by Maven. */
public final class CliVersion implements CommandLine.IVersionProvider {

    /** The build's version, such as {@code 0.1.0}. */
    public static String version() {
        try (InputStream in = CliVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the eskit-cli version: " + e.getMessage(), e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"eskit " + version()};
    }
}
