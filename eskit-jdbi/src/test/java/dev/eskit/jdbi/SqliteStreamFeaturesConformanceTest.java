package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.testkit.StreamFeaturesConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream features conformance suite on SQLite: fresh tables for every test. */
class SqliteStreamFeaturesConformanceTest extends StreamFeaturesConformance {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    protected EventStore createStore(EventTypes types) {
        return DB.track(DB.newLocation().builder(JsonEventCodec.create(types)).build());
    }
}
