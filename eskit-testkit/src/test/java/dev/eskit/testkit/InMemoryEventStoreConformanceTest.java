package dev.eskit.testkit;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;

/** The store conformance suite on {@link EventStore#inMemory(EventTypes)}. */
class InMemoryEventStoreConformanceTest extends EventStoreConformance {

    @Override
    protected EventStore createStore(EventTypes types) {
        return EventStore.inMemory(types);
    }
}
