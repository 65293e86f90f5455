package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.UnknownCommandException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandTypesTest {

    record Pay(String accountId, long cents) {
    }

    record Other(String id) {
    }

    private final CommandTypes types = CommandTypes.of(CommandType.of("bank.Pay", Pay.class));

    @Test
    void encodesAndDecodesByWireName() {
        byte[] json = types.encode(new Pay("a", 5));
        assertEquals("{\"accountId\":\"a\",\"cents\":5}", new String(json, StandardCharsets.UTF_8));
        assertEquals(new Pay("a", 5), types.decode("bank.Pay", json));
        assertEquals("bank.Pay", types.nameOf(new Pay("a", 5)));
    }

    @Test
    void unknownTypeNamesTheFix() {
        UnknownCommandException e = assertThrows(UnknownCommandException.class,
                () -> types.decode("bank.Refund", "{}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("Unknown command type \"bank.Refund\""), e.getMessage());
        assertThrows(UnknownCommandException.class, () -> types.encode(new Other("x")));
    }

    @Test
    void badPayloadFailsWithTheTypeInTheMessage() {
        CommandDecodingException e = assertThrows(CommandDecodingException.class,
                () -> types.decode("bank.Pay", "{\"accountId\":\"a\",\"cents\":5,\"extra\":1}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("does not read as " + Pay.class.getName()), e.getMessage());
        assertThrows(CommandDecodingException.class,
                () -> types.decode("bank.Pay", "not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oneWireNameForTwoClassesIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CommandTypes.of(
                CommandType.of("bank.Pay", Pay.class), CommandType.of("bank.Pay", Other.class)));
        assertTrue(e.getMessage().contains("claimed by both"), e.getMessage());
    }
}
