package dev.eskit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EskitDatabaseSqliteTest {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.sqlite();

    private static String outerUrl;

    @BeforeAll
    static void rememberTheOuterDatabase() {
        outerUrl = DB.url();
    }

    @Test
    void aFreshSqliteFileInATemporaryDirectoryOfItsOwn() throws Exception {
        assertTrue(DB.url().startsWith("jdbc:sqlite:"), DB.url());
        Path file = Path.of(DB.url().substring("jdbc:sqlite:".length()));
        assertTrue(Files.isDirectory(file.getParent()));
        DB.execute("CREATE TABLE t (x INTEGER)");
        DB.execute("INSERT INTO t VALUES (1)");
        try (Connection connection = DriverManager.getConnection(DB.url());
             var rows = connection.createStatement().executeQuery("SELECT count(*) FROM t")) {
            rows.next();
            assertTrue(rows.getInt(1) == 1);
        }
        assertNull(DB.schema());
    }

    @Test
    void theDirectoryHoldsTheFileAndTakesMoreDatabases() throws Exception {
        Path file = Path.of(DB.url().substring("jdbc:sqlite:".length()));
        assertEquals(file.getParent(), DB.directory());
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + DB.directory().resolve("other.db"))) {
            other.createStatement().execute("CREATE TABLE u (x INTEGER)");
        }
        assertTrue(Files.isRegularFile(DB.directory().resolve("other.db")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EskitDatabase.postgres().directory());
        assertTrue(e.getMessage().contains("schema()"), e.getMessage());
    }

    @Nested
    class NestedClasses {
        @Test
        void shareTheOuterClassDatabase() throws Exception {
            assertEquals(outerUrl, DB.url(), "a nested class uses its outer class's database");
            DB.execute("CREATE TABLE IF NOT EXISTS shared (x INTEGER)");
        }
    }

    @Test
    void anExtensionNotRegisteredSaysHowToUseIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EskitDatabase.sqlite().url());
        assertTrue(e.getMessage().contains("@RegisterExtension"), e.getMessage());
    }
}
