package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.ChangeSubscription;
import dev.eskit.change.Topic;
import dev.eskit.jdbi.postgres.PostgresChangeRelay;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 17's hostile tester on PostgreSQL. */
class PostgresTenancyHostileTest extends TenancyHostileContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames tables(Databases.Location location) {
        String qualified = location.toString();
        int dot = qualified.indexOf('.');
        return TableNames.of(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /**
     * Two nodes relay their notifiers over one LISTEN/NOTIFY channel: a change tenant A announces on node 1 reaches
     * A's subscribers on node 2 under A's name, and never B's (B's own later change is the first thing B sees). A relay
     * on a tenant's view is refused: relays carry every tenant's changes under their scoped names.
     */
    @Test
    void relayedChangesReachOnlyTheirTenantOnOtherNodes() throws Exception {
        String channel = "eskit_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TenantScope a = TenantScope.of(TenantId.of("acme"));
        TenantScope b = TenantScope.of(TenantId.of("acme-"));
        ChangeNotifier node1 = ChangeNotifier.create();
        ChangeNotifier node2 = ChangeNotifier.create();
        assertThrows(InvalidInputException.class, () -> PostgresChangeRelay.start(Databases.postgresUrl(), channel,
                a.changes(node1)));
        Duration wait = Duration.ofSeconds(60);
        try (PostgresChangeRelay relay1 = PostgresChangeRelay.start(Databases.postgresUrl(), channel, node1);
             PostgresChangeRelay relay2 = PostgresChangeRelay.start(Databases.postgresUrl(), channel, node2);
             ChangeSubscription ofA = a.changes(node2).subscribe(List.of(Topic.of("balances")));
             ChangeSubscription ofB = b.changes(node2).subscribe(List.of(Topic.of("balances"),
                     Topic.of("acme::balances")));
             ChangeSubscription plain = node2.subscribe(List.of(Topic.of("balances")))) {
            assertTrue(relay1.awaitListening(wait) && relay2.awaitListening(wait));
            a.changes(node1).publish(Change.of("balances", List.of("a-secret"), Position.of(1)));
            b.changes(node1).publish(Change.of("balances", List.of("b-1"), Position.of(2)));
            assertEquals(Change.of("balances", List.of("a-secret"), Position.of(1)), ofA.poll(wait).orElseThrow());
            assertEquals(Change.of("balances", List.of("b-1"), Position.of(2)), ofB.poll(wait).orElseThrow(),
                    "B's first signal is its own change: A's, sent before it, never reached B");
            assertEquals(java.util.Optional.empty(), ofB.poll());
            assertEquals(java.util.Optional.empty(), ofA.poll());
            assertEquals(java.util.Optional.empty(), plain.poll(), "nothing under the shared name");
        }
    }
}
