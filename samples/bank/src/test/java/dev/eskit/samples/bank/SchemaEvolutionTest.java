package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.CommandBus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Withdrawn} is at schema version 2 ({@code reason} was added). Events that version 1 of the code stored are
 * upcast by the chain the processor generated into {@code BankEventTypes} from {@link WithdrawnUpcasts}, on every
 * read path.
 */
class SchemaEvolutionTest {

    private static final StreamRef ACCOUNT = new StreamRef("account", "a-1");

    @Test
    void theGeneratedRegistryCarriesTheChain() {
        EventType<?> withdrawn = new BankEventTypes().eventTypes().stream()
                .filter(t -> t.javaType() == Withdrawn.class).findFirst().orElseThrow();
        assertEquals(2, withdrawn.version());
        assertEquals(Set.of(1), withdrawn.upcasters().keySet());
    }

    @Test
    void versionOneJsonDecodesAsTheCurrentRecord() {
        JsonEventCodec codec = JsonEventCodec.create(EventTypes.discover());
        Object event = codec.decode("bank.Withdrawn", 1,
                "{\"accountId\":\"a-1\",\"amountCents\":300}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new Withdrawn("a-1", 300, "unknown"), event);
        // Version 2 JSON is read as it is.
        assertEquals(new Withdrawn("a-1", 5, "rent"), codec.decode("bank.Withdrawn", 2,
                "{\"accountId\":\"a-1\",\"amountCents\":5,\"reason\":\"rent\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aStreamStoredByVersionOneCodeIsLoadedFoldedAndProjectedWithTheCurrentCode() {
        JsonRowsEventStore store = new JsonRowsEventStore(EventTypes.discover());
        store.appendStoredRow(ACCOUNT, "bank.AccountOpened", 1, "{\"accountId\":\"a-1\",\"owner\":\"ada\"}");
        store.appendStoredRow(ACCOUNT, "bank.Deposited", 1, "{\"accountId\":\"a-1\",\"amountCents\":1000}");
        store.appendStoredRow(ACCOUNT, "bank.Withdrawn", 1, "{\"accountId\":\"a-1\",\"amountCents\":300}");

        // The command handler loads and folds the old events (balance 700), then appends a version 2 event.
        CommandBus bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
        bus.send(new Withdraw("a-1", 650, "rent"));

        List<StoredEvent<Object>> stream = store.load(ACCOUNT);
        assertEquals(List.of(1, 1, 1, 2), stream.stream().map(StoredEvent::schemaVersion).toList());
        assertEquals(List.of(new AccountOpened("a-1", "ada"), new Deposited("a-1", 1000),
                new Withdrawn("a-1", 300, "unknown"), new Withdrawn("a-1", 650, "rent")),
                stream.stream().map(StoredEvent::data).toList());

        // The global log goes through the same chain.
        Balances balances = new Balances();
        BalancesHandlers handler = new BalancesHandlers(balances);
        store.readAll(Position.START, 100, handler.eventTypes()).forEach(handler::handle);
        assertEquals(Map.of("a-1", 50L), balances.all());
        assertEquals(List.of("unknown", "rent"), store.readAll(Position.START, 100, Set.of("bank.Withdrawn"))
                .stream().map(e -> ((Withdrawn) e.data()).reason()).toList());
    }

    @Test
    void theCommittedSchemaLockRecordsTheCurrentVersion() throws IOException {
        try (InputStream lock = getClass().getResourceAsStream("/META-INF/eskit/schema.lock")) {
            String text = new String(lock.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("""
                    event bank.Withdrawn version 2 class dev.eskit.samples.bank.Withdrawn
                      accountId: java.lang.String
                      amountCents: long
                      reason: java.lang.String
                    """), text);
        }
    }
}
