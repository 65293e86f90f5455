package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private final Decider<Integer, String, Integer> adder = Decider.of(() -> 0,
            (Integer sum, String command) -> command.equals("nothing") ? null : List.of(Integer.parseInt(command)),
            (Integer sum, Integer event) -> sum + event);

    @Test
    void foldAppliesEventsInOrderFromTheInitialState() {
        assertEquals(6, adder.fold(List.of(1, 2, 3)));
        assertEquals(16, adder.fold(10, List.of(1, 2, 3)));
        assertEquals(0, adder.fold(List.of()));
    }

    @Test
    void decideReturnsAnImmutableCopy() {
        List<Integer> events = adder.decide(0, "5");
        assertEquals(List.of(5), events);
        assertThrows(UnsupportedOperationException.class, () -> events.add(1));
    }

    @Test
    void decideReturningNullIsReportedWithTheCommandClass() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> adder.decide(0, "nothing"));
        assertTrue(error.getMessage().contains("java.lang.String"), error.getMessage());
    }

    @Test
    void evolveOrderMatters() {
        List<String> seen = new ArrayList<>();
        Decider<String, String, String> log = Decider.of(() -> "", (String s, String c) -> List.of(c),
                (String s, String e) -> {
                    seen.add(e);
                    return s + e;
                });
        assertEquals("abc", log.fold(List.of("a", "b", "c")));
        assertEquals(List.of("a", "b", "c"), seen);
    }

    @Test
    void nullFunctionsAreRejected() {
        assertThrows(NullPointerException.class, () -> Decider.of(null, (Integer s, String c) -> List.<Integer>of(),
                (Integer s, Integer e) -> s));
    }
}
