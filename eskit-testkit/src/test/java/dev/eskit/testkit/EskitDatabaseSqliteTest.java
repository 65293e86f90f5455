package dev.eskit.testkit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EskitDatabaseSqliteTest {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.sqlite();

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
    void anExtensionNotRegisteredSaysHowToUseIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EskitDatabase.sqlite().url());
        assertTrue(e.getMessage().contains("@RegisterExtension"), e.getMessage());
    }
}
