package dev.eskit.jdbi;

import dev.eskit.codec.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/** SQLite stores, each in its own file of a temporary directory that lives as long as the test class. */
final class SqliteDatabases extends Databases {

    private final AtomicInteger counter = new AtomicInteger();
    private Path directory;

    @Override
    void setUp(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("eskit-sqlite-");
    }

    @Override
    void tearDown() throws IOException {
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Override
    String kind() {
        return "SQLite";
    }

    @Override
    Location newLocation() {
        String url = "jdbc:sqlite:" + directory.resolve("store-" + counter.incrementAndGet() + ".db");
        return new Location() {
            @Override
            public JdbiEventStore.Builder builder(EventCodec codec) {
                return JdbiEventStore.builder(codec).url(url);
            }

            @Override
            public Connection rawConnection() throws SQLException {
                return DriverManager.getConnection(url);
            }

            @Override
            public javax.sql.DataSource dataSource() {
                org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource();
                source.setUrl(url);
                return source;
            }

            @Override
            public JdbiEventStore.Builder onDataSource(EventCodec codec) {
                return JdbiEventStore.builder(codec).dataSource(dataSource());
            }

            @Override
            public List<String> childArguments() {
                return List.of("sqlite", url);
            }

            @Override
            public String toString() {
                return url;
            }
        };
    }
}
