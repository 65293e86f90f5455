package dev.eskit.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.EventDecodingException;
import dev.eskit.codec.JsonEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonStateCodecTest {

    record Owner(String name) {
    }

    record Account(Owner owner, long balance, List<String> tags) {
    }

    record AccountRenamed(Owner owner, long balanceCents, List<String> tags) {
    }

    record AccountRetyped(Owner owner, String balance, List<String> tags) {
    }

    record AccountWider(Owner owner, long balance, List<String> tags, boolean frozen) {
    }

    record OwnerV2(String name, String email) {
    }

    record AccountNested(OwnerV2 owner, long balance, List<String> tags) {
    }

    record Node(String name, List<Node> children, Map<String, Owner> owners) {
    }

    private static final ObjectMapper MAPPER = JsonEventCodec.defaultMapper();

    private static String shape(Class<?> type) {
        String described = JsonStateCodec.describe(MAPPER, MAPPER.constructType(type));
        // Strip the class name so that only the shape is compared.
        return described.substring(described.indexOf('{'));
    }

    @Test
    void theSchemaIsStableForOneType() {
        assertEquals(StateCodec.json(Account.class).schema(), StateCodec.json(Account.class).schema());
        assertTrue(StateCodec.json(Account.class).schema().startsWith(Account.class.getName() + "#"));
    }

    @Test
    void renamingRetypingAddingOrChangingANestedTypeChangesTheShape() {
        String base = shape(Account.class);
        assertNotEquals(base, shape(AccountRenamed.class));
        assertNotEquals(base, shape(AccountRetyped.class));
        assertNotEquals(base, shape(AccountWider.class));
        assertNotEquals(base, shape(AccountNested.class));
    }

    @Test
    void recursiveTypesAreDescribedOnce() {
        String described = JsonStateCodec.describe(MAPPER, MAPPER.constructType(Node.class));
        assertTrue(described.contains("children:java.util.List<"), described);
        assertTrue(described.contains("owners:java.util.Map<java.lang.String,"), described);
    }

    @Test
    void aStateRoundTrips() {
        StateCodec<Account> codec = StateCodec.json(Account.class);
        Account account = new Account(new Owner("ada"), 500, List.of("vip"));
        assertEquals(account, codec.decode(codec.encode(account)));
    }

    @Test
    void unreadableDataFailsWithADecodingError() {
        StateCodec<Account> codec = StateCodec.json(Account.class);
        assertThrows(EventDecodingException.class, () -> codec.decode("[1,2".getBytes(StandardCharsets.UTF_8)));
        assertThrows(EventDecodingException.class, () -> codec.decode("null".getBytes(StandardCharsets.UTF_8)));
    }
}
