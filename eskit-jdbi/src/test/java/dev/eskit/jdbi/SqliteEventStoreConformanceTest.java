package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.testkit.EventStoreConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole store conformance suite on SQLite: a new database file for every test. */
class SqliteEventStoreConformanceTest extends EventStoreConformance {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    protected EventStore createStore(EventTypes types) {
        return DB.track(DB.newLocation().builder(JsonEventCodec.create(types)).build());
    }
}
