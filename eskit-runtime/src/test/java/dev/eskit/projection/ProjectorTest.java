package dev.eskit.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ProjectorTest {

    record Deposited(String accountId, long cents) {
    }

    record Renamed(String accountId, String name) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    final EventStore store = EventStore.inMemory(EventTypes.builder()
            .add("bank.Deposited", Deposited.class)
            .add("bank.Renamed", Renamed.class)
            .build());
    final CheckpointStore checkpoints = CheckpointStore.inMemory();
    final Map<String, Long> balances = new ConcurrentHashMap<>();
    final Projector projector = Projector.of("balances", Set.of("bank.Deposited"), event -> {
        Deposited d = (Deposited) event.data();
        balances.merge(d.accountId(), d.cents(), Long::sum);
    }, balances::clear);

    void deposit(String account, long cents) {
        store.append(StreamRef.of("account", account), ExpectedVersion.any(),
                List.of(new Deposited(account, cents), new Renamed(account, "n")));
    }

    @Test
    void lambdaProjectorBuildsItsReadModelFromOnlyItsEventTypes() {
        deposit("a", 5);
        deposit("b", 7);
        deposit("a", 1);
        try (Subscription s = projector.subscription(store, checkpoints).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
            assertEquals(Map.of("a", 6L, "b", 7L), balances);
            assertEquals("balances", s.name());
            assertEquals(Set.of("bank.Deposited"), s.eventTypes());
        }
        assertEquals(Optional.of(Position.of(5)), checkpoints.load("balances"));
    }

    @Test
    void rebuildResetsTheReadModelAndTheCheckpointAndFoldsTheLogAgain() {
        deposit("a", 5);
        try (Subscription s = projector.subscription(store, checkpoints).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
            // Corrupt the read model; a rebuild must give the fold of the log again, not the corrupted value plus it.
            balances.put("a", 1000L);
            balances.put("ghost", 1L);
            s.rebuild();
            Position last = store.readAll(Position.START, 100).get(1).position();
            assertTrue(s.awaitPosition(last, WAIT));
            assertEquals(Map.of("a", 5L), balances);
        }
    }

    @Test
    void rebuildOfAStoppedProjectionLeavesItStopped() {
        deposit("a", 5);
        Subscription s = projector.subscription(store, checkpoints).build().start();
        assertTrue(s.awaitCaughtUp(WAIT));
        s.stop();
        s.rebuild();
        assertEquals(Map.of(), balances);
        assertEquals(Optional.empty(), checkpoints.load("balances"));
        assertEquals(false, s.isRunning());
    }

    /** Shaped like the table the processor generates for a {@code @Projection} class. */
    final class BalancesHandlers implements ProjectionHandler {
        @Override
        public String name() {
            return "generated-balances";
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("bank.Deposited");
        }

        @Override
        public void handle(StoredEvent<?> event) {
            if (event.data() instanceof Deposited d) {
                balances.merge(d.accountId(), d.cents(), Long::sum);
            }
        }
    }

    @Test
    void generatedTableRunsWithItsNameAndItsEventTypesPushedDown() {
        deposit("a", 5);
        deposit("a", 2);
        Projector generated = Projector.of(new BalancesHandlers(), balances::clear);
        try (Subscription s = generated.subscription(store, checkpoints).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
            assertEquals("generated-balances", s.name());
            assertEquals(Set.of("bank.Deposited"), s.eventTypes());
            assertEquals(Map.of("a", 7L), balances);
            s.rebuild();
            assertTrue(s.awaitCaughtUp(WAIT));
            assertEquals(Map.of("a", 7L), balances);
        }
    }

    @Test
    void projectorNameFollowsTheNameRules() {
        assertThrows(InvalidInputException.class, () -> Projector.of("", Set.of(), e -> { }));
        assertEquals(Set.of(), Projector.of("all", Set.of(), e -> { }).eventTypes());
    }
}
