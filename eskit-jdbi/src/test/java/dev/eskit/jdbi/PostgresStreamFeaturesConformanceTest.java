package dev.eskit.jdbi;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.testkit.StreamFeaturesConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream features conformance suite on PostgreSQL: fresh tables for every test. */
class PostgresStreamFeaturesConformanceTest extends StreamFeaturesConformance {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    protected EventStore createStore(EventTypes types) {
        return DB.track(DB.newLocation().builder(JsonEventCodec.create(types)).build());
    }
}
