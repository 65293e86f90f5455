package dev.eskit.testkit;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.testkit.tenancy.TenancyConformance;
import dev.eskit.todo.TodoStore;

/** The tenancy conformance suite on the in-memory stores. */
class InMemoryTenancyConformanceTest extends TenancyConformance {

    @Override
    protected SharedStores createStores(EventTypes types) {
        return new SharedStores(EventStore.inMemory(types), SnapshotStore.inMemory(), CheckpointStore.inMemory(),
                DeadLetterStore.inMemory(), TodoStore.inMemory(), SubjectKeyStore.inMemory());
    }
}
