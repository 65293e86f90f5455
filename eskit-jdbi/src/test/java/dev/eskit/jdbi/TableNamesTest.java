package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableNamesTest {

    @Test
    void namesAreQualifiedBySchemaAndPrefix() {
        TableNames names = TableNames.of("billing", "orders_");
        assertEquals("billing.orders_events", names.events());
        assertEquals("billing.orders_schema_migrations", names.migrations());
        assertEquals("CREATE INDEX orders_x ON billing.orders_streams", names.render("CREATE INDEX {p}x ON {streams}"));
        assertEquals("eskit_snapshots", TableNames.of(null, TableNames.DEFAULT_PREFIX).snapshots());
        assertEquals("checkpoints", TableNames.of(null, "").checkpoints());
    }

    @Test
    void schemasAndPrefixesOutsideTheStrictPatternAreRefused() {
        for (String schema : List.of("", "Public", "a.b", "x;drop", "1abc", "s".repeat(41), "ä")) {
            assertThrows(StoreConfigurationException.class, () -> TableNames.of(schema, "eskit_"), schema);
        }
        for (String prefix : List.of("E_", "a b", "a-", "p".repeat(31), "x'")) {
            assertThrows(StoreConfigurationException.class, () -> TableNames.of(null, prefix), prefix);
        }
        assertThrows(StoreConfigurationException.class, () -> TableNames.of(null, null));
    }

    @Test
    void aPostgresUrlsCurrentSchemaIsTheDefaultSchema() {
        String base = "jdbc:postgresql://db:5432/app";
        assertEquals("public", Database.postgresSchema(null, base));
        assertEquals("public", Database.postgresSchema(null, base + "?user=app"));
        assertEquals("billing", Database.postgresSchema(null, base + "?user=app&currentSchema=billing"));
        assertEquals("billing", Database.postgresSchema(null, base + "?currentSchema=billing,public&user=app"));
        assertEquals("billing", Database.postgresSchema(null, base + "?currentSchema=billing%2Cpublic"));
        assertEquals("billing", Database.postgresSchema(null, base + "?currentSchema=%20billing%20"));
        assertEquals("public", Database.postgresSchema(null, base + "?currentSchema="));
        assertEquals("public", Database.postgresSchema(null, base + "?currentschema=billing"),
                "the driver's parameter names are case-sensitive");
        assertEquals("public", Database.postgresSchema(null, base + "?xcurrentSchema=billing"));
        assertEquals("orders", Database.postgresSchema("orders", base + "?currentSchema=billing"),
                "schema(...) wins over the URL");
        assertEquals("orders", Database.postgresSchema("orders", null));
        assertNull(Database.currentSchema(null));
        StoreConfigurationException bad = assertThrows(StoreConfigurationException.class,
                () -> Database.postgresSchema(null, base + "?currentSchema=Billing"));
        assertTrue(bad.getMessage().contains("currentSchema names \"Billing\""), bad.getMessage());
        assertTrue(bad.getMessage().contains("schema(...)"), bad.getMessage());
        assertThrows(StoreConfigurationException.class,
                () -> Database.postgresSchema(null, base + "?currentSchema=pg_catalog"));
    }
}
