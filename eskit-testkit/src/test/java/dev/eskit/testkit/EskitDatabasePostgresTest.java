package dev.eskit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped with a message when PostgreSQL is unreachable, unless {@code ESKIT_REQUIRE_PG=1}. */
class EskitDatabasePostgresTest {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.postgres();

    @Test
    void aSchemaOfItsOwnThatTheUrlWithSchemaSelects() throws Exception {
        assertTrue(DB.schema().startsWith("eskit_t_eskitdatabasepostgr"), DB.schema());
        try (Connection connection = DriverManager.getConnection(DB.urlWithSchema())) {
            connection.createStatement().execute("CREATE TABLE here (x INTEGER)");
            try (var rows = connection.createStatement().executeQuery(
                    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'here'"
                            + " AND table_schema = '" + DB.schema() + "'")) {
                assertTrue(rows.next());
                assertEquals(DB.schema(), rows.getString(1));
            }
        }
    }
}
