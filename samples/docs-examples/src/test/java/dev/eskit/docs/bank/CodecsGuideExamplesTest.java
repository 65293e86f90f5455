package dev.eskit.docs.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.codec.EventTypes;
import dev.eskit.codec.StreamingEventCodec;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
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
}
