package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionTest {

    @Test
    void startComesBeforeEveryPosition() {
        assertTrue(Position.of(1).isAfter(Position.START));
        assertTrue(new Position(1, 0).isAfter(Position.START));
        assertFalse(Position.START.isAfter(Position.START));
    }

    @Test
    void commitOrderComesBeforeSequence() {
        List<Position> positions = new ArrayList<>(List.of(new Position(2, 1), new Position(1, 9), Position.of(5),
                new Position(1, 3)));
        Collections.sort(positions);
        assertEquals(List.of(Position.of(5), new Position(1, 3), new Position(1, 9), new Position(2, 1)), positions);
    }

    @Test
    void tokensRoundTrip() {
        for (Position position : List.of(Position.START, Position.of(42), new Position(7, Long.MAX_VALUE))) {
            assertEquals(position, Position.parse(position.toToken()));
        }
        assertEquals("0.42", Position.of(42).toToken());
        assertEquals(Position.of(42), Position.parse("42"));
    }

    @Test
    void malformedTokensAreRejectedWithAnExample() {
        for (String token : new String[] {null, "", "abc", "1.2.3", ".5", "5.", "1.x"}) {
            InvalidInputException error = assertThrows(InvalidInputException.class, () -> Position.parse(token),
                    String.valueOf(token));
            assertTrue(error.getMessage().contains("Position.toToken()"), error.getMessage());
        }
    }

    @Test
    void negativePartsAreRejected() {
        assertThrows(InvalidInputException.class, () -> new Position(-1, 0));
        assertThrows(InvalidInputException.class, () -> Position.of(-5));
        assertThrows(InvalidInputException.class, () -> Position.parse("-1"));
        assertThrows(InvalidInputException.class, () -> Position.parse("0.-1"));
    }
}
