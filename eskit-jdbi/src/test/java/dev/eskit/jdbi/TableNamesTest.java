package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
