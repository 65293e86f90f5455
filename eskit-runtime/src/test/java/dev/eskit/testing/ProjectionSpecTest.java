package dev.eskit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.projection.ProjectionHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectionSpecTest {

    record Deposited(String account, long amount) {
    }

    record Withdrawn(String account, long amount) {
    }

    record Ignored(String account) {
    }

    /** A read model with a query, and what it saw of the stored events. */
    static final class Balances {
        final Map<String, Long> balances = new HashMap<>();
        final List<String> seen = new ArrayList<>();

        long balanceOf(String account) {
            return balances.getOrDefault(account, 0L);
        }
    }

    static ProjectionHandler handlers(Balances balances) {
        return new ProjectionHandler() {
            @Override
            public String name() {
                return "balances";
            }

            @Override
            public Set<String> eventTypes() {
                return Set.of("bank.Deposited", "bank.Withdrawn");
            }

            @Override
            public void handle(StoredEvent<?> event) {
                balances.seen.add(event.eventType() + "@" + event.streamId() + "/" + event.version() + "#"
                        + event.globalPosition());
                if (event.data() instanceof Deposited d) {
                    balances.balances.merge(d.account(), d.amount(), Long::sum);
                } else if (event.data() instanceof Withdrawn w) {
                    if (w.amount() < 0) {
                        throw new IllegalArgumentException("negative");
                    }
                    balances.balances.merge(w.account(), -w.amount(), Long::sum);
                } else {
                    throw new AssertionError("a filtered event reached the handler: " + event);
                }
            }
        };
    }

    private static final EventTypes TYPES = EventTypes.builder()
            .add("bank.Deposited", Deposited.class)
            .add("bank.Withdrawn", Withdrawn.class)
            .add("bank.Ignored", Ignored.class)
            .build();

    private static ProjectionSpec<Balances> spec() {
        Balances balances = new Balances();
        return ProjectionSpec.of(balances, handlers(balances), TYPES);
    }

    @Test
    void givenEventsThenQueriesAndState() {
        spec().given(new Deposited("a", 5), new Ignored("a"), new Withdrawn("a", 2))
                .thenQuery(b -> b.balanceOf("a"), 3L)
                .then(b -> assertEquals(List.of("bank.Deposited@1/1#1", "bank.Withdrawn@1/3#3"), b.seen))
                .given(new Deposited("a", 10))
                .thenQuery(b -> b.balanceOf("a"), 13L);
    }

    @Test
    void aWrongAnswerFailsWithBothValues() {
        org.opentest4j.AssertionFailedError error = assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> spec().given(new Deposited("a", 5)).thenQuery(b -> b.balanceOf("a"), 6L));
        assertEquals(6L, error.getExpected().getValue());
        assertEquals(5L, error.getActual().getValue());
        assertTrue(error.getMessage().contains("expected the query to answer: 6"), error.getMessage());
        assertTrue(error.getMessage().contains("but it was: 5"), error.getMessage());
    }

    @Test
    void eventsCanBeGivenOnAStream() {
        Balances balances = spec().given(StreamRef.of("account", "a"), List.of(new Deposited("a", 1),
                new Deposited("a", 1))).projection();
        assertEquals(List.of("bank.Deposited@a/1#1", "bank.Deposited@a/2#2"), balances.seen);
    }

    @Test
    void aThrowingHandlerIsAnErrorToExpect() {
        spec().given(new Withdrawn("a", -1)).thenError(IllegalArgumentException.class);
        assertThrows(AssertionError.class, () -> spec().given(new Withdrawn("a", -1)).thenQuery(b -> 1, 1));
        assertThrows(AssertionError.class, () -> spec().given(new Withdrawn("a", 1))
                .thenError(IllegalArgumentException.class));
    }

    @Test
    void anUnregisteredEventFailsTheScenario() {
        record Unknown(String id) {
        }
        AssertionError error = assertThrows(AssertionError.class, () -> spec().given(new Unknown("x")));
        assertTrue(error.getMessage().contains("not a registered event type"), error.getMessage());
    }
}
