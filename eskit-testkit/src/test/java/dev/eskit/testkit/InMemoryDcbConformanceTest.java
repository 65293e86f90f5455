package dev.eskit.testkit;

import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.store.InMemoryEventStore;
import dev.eskit.testkit.dcb.DcbConformance;

/** The DCB conformance suite on the in-memory store. */
class InMemoryDcbConformanceTest extends DcbConformance {

    @Override
    protected DcbEventStore createStore(EventTypes types) {
        return new InMemoryEventStore(types);
    }
}
