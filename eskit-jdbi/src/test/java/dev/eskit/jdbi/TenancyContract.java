package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScopedCheckpointStore;
import dev.eskit.tenancy.TenantScopedEventStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tenant views over a database store: hostile stream ids, idempotency keys and checkpoints stay in their tenant. */
abstract class TenancyContract {

    abstract Databases db();

    @Test
    void tenantsSharingADatabaseNeverReachEachOthersStreams() {
        JdbiEventStore shared = db().newStore();
        EventStore acme = TenantScopedEventStore.of(shared, TenantId.of("acme"));
        EventStore other = TenantScopedEventStore.of(shared, TenantId.of("other-tenant"));
        other.append(StreamRef.of("account", "x"), ExpectedVersion.noStream(), List.of(new Deposited("x", 1)));
        for (String hostile : List.of("other-tenant/x", "../other-tenant/x", "other-tenant::account/x", "x")) {
            assertTrue(acme.load(StreamRef.of("account", hostile)).isEmpty(), hostile);
            acme.append(StreamRef.of("account", hostile), ExpectedVersion.noStream(),
                    List.of(new Deposited(hostile, 2)));
        }
        assertTrue(acme.load(StreamRef.of("other-tenant::account", "x")).isEmpty());
        assertEquals(List.of(new Deposited("x", 1)),
                other.load(StreamRef.of("account", "x")).stream().map(e -> e.data()).toList());
        assertEquals(1, other.streamVersion(StreamRef.of("account", "x")));
        assertEquals(1, acme.streamVersion(StreamRef.of("account", "x")));
        assertEquals(StreamRef.of("account", "x"), acme.load(StreamRef.of("account", "x")).get(0).stream());
    }

    @Test
    void idempotencyKeysAndCheckpointsStayInTheirTenant() {
        JdbiEventStore shared = db().newStore();
        EventStore acme = TenantScopedEventStore.of(shared, TenantId.of("acme"));
        EventStore other = TenantScopedEventStore.of(shared, TenantId.of("other"));
        StreamRef stream = StreamRef.of("account", "a");
        assertFalse(acme.append(AppendRequest.of(stream, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)))
                .withIdempotencyKey("k")).duplicate());
        assertTrue(other.findIdempotentAppend("k").isEmpty());
        assertFalse(other.append(AppendRequest.of(stream, ExpectedVersion.noStream(),
                List.of(new Deposited("a", 2))).withIdempotencyKey("k")).duplicate());
        assertEquals(stream, acme.findIdempotentAppend("k").orElseThrow().events().get(0).stream());

        TenantScopedCheckpointStore acmeCheckpoints = TenantScopedCheckpointStore.of(shared.checkpoints(),
                TenantId.of("acme"));
        TenantScopedCheckpointStore otherCheckpoints = TenantScopedCheckpointStore.of(shared.checkpoints(),
                TenantId.of("other"));
        acmeCheckpoints.save("balances", acme.load(stream).get(0).position());
        assertTrue(otherCheckpoints.load("balances").isEmpty());
    }
}
