package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSchemaTest extends SchemaContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String folder() {
        return "postgres";
    }

    @Override
    String schemaOf(Databases.Location location) {
        return DB.schema() + ".";
    }

    /** The schemas holding a table named {@code table}, comma-separated in order. */
    private static String schemasOf(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(Databases.postgresUrl());
             ResultSet rows = connection.createStatement().executeQuery("SELECT string_agg(table_schema, ','"
                     + " ORDER BY table_schema) FROM information_schema.tables WHERE table_name = '" + table + "'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    @Test
    void aUrlsCurrentSchemaHoldsTheTablesUnlessSchemaIsGiven() throws SQLException {
        String url = withParameter(Databases.postgresUrl(), "currentSchema=" + DB.schema() + ",public");
        DB.track(JdbiEventStore.builder(TestEvents.codec()).url(url).tablePrefix("url_").build());
        assertEquals(DB.schema(), schemasOf("url_events"), "in the URL's schema, not in public");
        String other = DB.schema() + "_b";
        try {
            DB.track(JdbiEventStore.builder(TestEvents.codec()).url(url).schema(other).tablePrefix("url_").build());
            assertEquals(DB.schema() + "," + other, schemasOf("url_events"));
        } finally {
            try (Connection connection = DriverManager.getConnection(Databases.postgresUrl())) {
                connection.createStatement().execute("DROP SCHEMA IF EXISTS " + other + " CASCADE");
            }
        }
    }

    @Test
    void aCurrentSchemaEskitCannotUseIsRefusedBeforeAnythingIsWritten() throws SQLException {
        String url = withParameter(Databases.postgresUrl(), "currentSchema=Mixed_Case");
        StoreConfigurationException refused = assertThrows(StoreConfigurationException.class,
                () -> JdbiEventStore.builder(TestEvents.codec()).url(url).tablePrefix("mixed_").build());
        assertTrue(refused.getMessage().contains("currentSchema"), refused.getMessage());
        assertNull(schemasOf("mixed_events"), "no table was created");
    }
}
