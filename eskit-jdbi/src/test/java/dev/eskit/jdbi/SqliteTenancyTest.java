package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScopedEventStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteTenancyTest extends TenancyContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void readAllReturnsOnlyTheTenantsEvents() {
        JdbiEventStore shared = DB.newStore();
        EventStore acme = TenantScopedEventStore.of(shared, TenantId.of("acme"));
        EventStore other = TenantScopedEventStore.of(shared, TenantId.of("other"));
        for (int i = 0; i < 30; i++) {
            (i % 3 == 0 ? acme : other).append(StreamRef.of("account", "other/" + i), ExpectedVersion.noStream(),
                    List.of(new Deposited("n", i)));
        }
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L), acme.readAll(Position.START, 100).stream()
                .map(e -> ((Deposited) e.data()).cents()).toList());
        assertEquals(20, other.readAll(Position.START, 100).size());
    }
}
