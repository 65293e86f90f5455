package dev.eskit.jdbi;

import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.testkit.dcb.DcbConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The DCB conformance suite on Postgres: fresh tables for every test. */
class PostgresDcbConformanceTest extends DcbConformance {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    protected DcbEventStore createStore(EventTypes types) {
        return DB.track(DB.newLocation().builder(JsonEventCodec.create(types)).build());
    }
}
