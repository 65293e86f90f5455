package dev.eskit.testkit;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.store.InMemoryEventStore;

/** The stream features conformance suite on the in-memory store. */
class InMemoryStreamFeaturesConformanceTest extends StreamFeaturesConformance {

    @Override
    protected EventStore createStore(EventTypes types) {
        return new InMemoryEventStore(types);
    }
}
