package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Limits;
import org.junit.jupiter.api.Test;

class CodecLimitsTest {

    @Test
    void aGoodWireNameIsReturnedAsItIs() {
        assertEquals("bank.Deposited", CodecLimits.checkWireName("bank.Deposited"));
        assertEquals("a:b/c$d-e_f", CodecLimits.checkWireName("a:b/c$d-e_f"));
    }

    @Test
    void aBadNameIsShownEscapedSoItCannotRewriteTheMessageOrTheTerminal() {
        String hostile = "bank.\u202Edetisoped\u001B[2J\r\nOK";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName(hostile));
        String message = e.getMessage();
        assertTrue(message.startsWith("Event type name \"bank.\\u202Edetisoped\\u001B[2J\\u000D\\u000AOK\" contains U+202E"),
                message);
        for (char c : message.toCharArray()) {
            assertFalse(Character.isISOControl(c) || c == '\u202E', () -> "raw control character in: " + message);
        }
        assertTrue(message.contains("such as \"bank.Deposited\""), message);
    }

    @Test
    void aLongBadNameIsCut() {
        String longName = "x".repeat(300);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName(longName));
        assertTrue(e.getMessage().contains("\"" + "x".repeat(40) + "...\""), e.getMessage());
        assertTrue(e.getMessage().contains("300 characters long"), e.getMessage());
    }

    @Test
    void nullAndEmptyNamesAreNamedAsSuch() {
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName(null)).getMessage()
                .startsWith("Event type name null is empty"));
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName("")).getMessage()
                .startsWith("Event type name \"\" is empty"));
    }

    @Test
    void everyBidiFormattingCharacterIsEscapedInMessages() {
        for (char c : new char[] {'\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
                '\u2066', '\u2067', '\u2068', '\u2069'}) {
            assertEquals(String.format("\"a\\u%04Xb\"", (int) c), Limits.abbreviate("a" + c + "b"));
        }
        assertEquals("\"a\u00e9b\"", Limits.abbreviate("a\u00e9b"));
    }

    @Test
    void theLengthLimitIsInclusive() {
        String longest = "a".repeat(CodecLimits.MAX_WIRE_NAME_LENGTH);
        assertEquals(longest, CodecLimits.checkWireName(longest));
        String over = longest + "b";
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName(over)).getMessage()
                .contains("is 257 characters long, more than 256"));
    }

    @Test
    void everyAllowedCharacterPassesAndItsNeighboursDoNot() {
        assertEquals("azAZ09._-:/$", CodecLimits.checkWireName("azAZ09._-:/$"));
        for (char c : new char[] {'`', '{', '@', '[', ',', ' ', '!', '~', '\u007F'}) {
            String name = "ok" + c;
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName(name),
                    () -> "accepted " + (int) c);
            assertTrue(e.getMessage().contains("at index 2"), e.getMessage());
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName("a b")).getMessage()
                .contains("contains ' ' at index 1"));
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName("a~")).getMessage()
                .contains("contains '~' at index 1"));
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName("a\u007F")).getMessage()
                .contains("contains U+007F at index 1"));
        assertTrue(assertThrows(InvalidInputException.class, () -> CodecLimits.checkWireName("a\u001F")).getMessage()
                .contains("contains U+001F at index 1"));
    }

    @Test
    void abbreviateCutsAfterFortyCharacters() {
        assertEquals("\"" + "x".repeat(40) + "\"", Limits.abbreviate("x".repeat(40)));
        assertEquals("\"" + "x".repeat(40) + "...\"", Limits.abbreviate("x".repeat(41)));
        assertEquals("null", Limits.abbreviate(null));
        assertEquals("\"a\\0b\"", Limits.abbreviate("a\0b"));
    }
}
