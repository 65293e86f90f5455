package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void everyBidirectionalFormattingCharacterIsEscaped() {
        for (char c : new char[] {'\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
                '\u2066', '\u2067', '\u2068', '\u2069'}) {
            assertEquals(String.format("a\\u%04Xb", (int) c), Text.safe("a" + c + "b"));
        }
    }

    @Test
    void controlCharactersLineSeparatorsAndLoneSurrogatesAreEscapedAndValidPairsKept() {
        assertEquals("x\\u001B[2J\\u000D\\u000A\\u2028\\uD800y\uD83D\uDE00",
                Text.safe("x\u001B[2J\r\n\u2028\uD800y\uD83D\uDE00"));
    }

    @Test
    void printableTextIsReturnedAsItIs() {
        String plain = "accounts-42 \u00e9t\u00e9 \u05e9\u05dc\u05d5\u05dd";
        assertSame(plain, Text.safe(plain));
        assertEquals("null", Text.safe(null));
    }
}
