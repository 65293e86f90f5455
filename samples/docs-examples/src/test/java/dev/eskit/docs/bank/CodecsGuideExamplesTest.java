package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.StreamingEventCodec;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/codecs.md. */
class CodecsGuideExamplesTest {

    @Test
    void generatedCodecsForEventsStatesAndCommands(@TempDir Path dir) {
        // The constants the page lists.
        assertNotNull(BankCodecs.DEPOSITED);
        assertNotNull(BankCodecs.ACCOUNT_STATE);
        assertNotNull(BankCodecs.DEPOSIT);
        assertTrue(BankCodecs.ACCOUNT_STATE_SNAPSHOTS.schema().startsWith("dev.eskit.docs.bank.AccountState#"));
        assertNotNull(EventTypes.discover().byName("bank.Deposited").codec(), "registered by BankEventTypes");

        // As on the page: the streaming codec, and snapshots through the generated state codec.
        EventTypes types = EventTypes.discover();
        String url = "jdbc:sqlite:" + dir.resolve("codecs.db");
        try (JdbiEventStore store = JdbiEventStore.builder(StreamingEventCodec.json(types)).url(url).build()) {
            CommandHandler<AccountState, AccountCommand, AccountEvent> handler = CommandHandler
                    .builder(store, new AccountDecider(), "account")
                    .snapshots(store.snapshots(), BankCodecs.ACCOUNT_STATE_SNAPSHOTS, 500)
                    .build();
            handler.handle("a-1", new OpenAccount("a-1", "Ann"));
            AccountState state = handler.handle("a-1", new Deposit("a-1", 250)).state();
            assertEquals(250, state.balanceCents());
        }
    }

    @Test
    void oneStoreHoldsJsonAndCborAndRecodesInPlace(@TempDir Path dir) {
        EventTypes types = EventTypes.discover();
        String url = "jdbc:sqlite:" + dir.resolve("formats.db");
        try (JdbiEventStore old = JdbiEventStore.builder(JsonEventCodec.create(types)).url(url).build()) {
            CommandHandler.builder(old, new AccountDecider(), "account").build()
                    .handle("a-1", new OpenAccount("a-1", "Ann"));
        }
        // As on the page: new appends as CBOR; old JSON rows still read.
        EventCodec json = JsonEventCodec.create(types);
        EventCodec cbor = json.forFormat("cbor");
        try (JdbiEventStore store = JdbiEventStore.builder(cbor).url(url).build()) {
            CommandHandler<AccountState, AccountCommand, AccountEvent> handler = CommandHandler
                    .builder(store, new AccountDecider(), "account").build();
            assertEquals(250, handler.handle("a-1", new Deposit("a-1", 250)).state().balanceCents());
            assertEquals(List.of("json", "cbor"), store.raw().readAll(Position.START, 10, Set.of()).stream()
                    .map(RawEvent::codec).toList());
            // Converting the rest: the recoder behind `eskit migrate --recode-to cbor`.
            assertEquals(1, store.recoder().recodeAll("cbor", 1000, batch -> { }));
            assertEquals(2, store.load(StreamRef.of("account", "a-1")).size());
        }
    }
}
