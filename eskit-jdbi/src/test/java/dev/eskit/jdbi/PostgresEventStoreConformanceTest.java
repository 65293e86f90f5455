package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.testkit.EventStoreConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole store conformance suite on PostgreSQL: one schema for the class (created before it, dropped after it),
 * fresh tables (a new prefix) for every test.
 */
class PostgresEventStoreConformanceTest extends EventStoreConformance {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    protected EventStore createStore(EventTypes types) {
        return DB.track(DB.newLocation().builder(JsonEventCodec.create(types)).build());
    }
}
