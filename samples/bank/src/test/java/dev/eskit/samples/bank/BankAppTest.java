package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.jdbi.JdbiEventStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample's main flow on a real SQLite file: what it prints and what it leaves in the store. */
class BankAppTest {

    @TempDir
    Path directory;

    private static String run(String location) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BankApp.run(location, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Object detail(Object event) {
        if (event instanceof AccountOpened opened) {
            return opened.owner();
        }
        if (event instanceof Deposited deposited) {
            return deposited.amountCents();
        }
        return event instanceof Withdrawn withdrawn ? withdrawn.amountCents() + " " + withdrawn.reason() : event;
    }

    @Test
    void theMainFlowPrintsEachStepAndStoresTheEvents() {
        Path file = directory.resolve("data/bank.db");
        String printed = run(file.toString());

        assertTrue(printed.startsWith("eskit bank sample on SQLite (jdbc:sqlite:" + file + ")"), printed);
        for (String line : List.of("opened account alice for Alice", "opened account bob for Bob",
                "deposited 100.00 to alice", "deposited 20.00 to bob", "withdrew 30.00 from alice (rent)",
                "rejected: withdraw 20.01 from bob: Account bob has 2000 cents, cannot withdraw 2001",
                "transferred 25.00 from alice to bob: the \"transfers\" automation deposited it", "balances (projection \"balances\" over 7 events):"
                        + " alice 45.00, bob 45.00", "appended 7 events this run")) {
            assertTrue(printed.contains(line), "missing \"" + line + "\" in:\n" + printed);
        }

        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + file, EventTypes.of(new BankEventTypes()))) {
            List<String> alice = store.load(StreamRef.of("account", "alice")).stream()
                    .map(event -> event.eventType() + " " + detail(event.data())).toList();
            assertEquals(List.of("bank.AccountOpened Alice", "bank.Deposited 10000", "bank.Withdrawn 3000 rent",
                    "bank.Withdrawn 2500 transfer to bob"), alice);
            assertEquals(3, store.streamVersion(StreamRef.of("account", "bob")), "the overdraft appended nothing");
            List<StoredEvent<Object>> log = store.readAll(Position.START, 100);
            assertEquals(7, log.size());
            StoredEvent<Object> transferOut = log.get(5);
            StoredEvent<Object> transferIn = log.get(6);
            assertEquals(transferOut.metadata().correlationId(), transferIn.metadata().correlationId());
            assertTrue(transferOut.metadata().correlationId().startsWith("transfer-"));
            assertEquals(transferOut.id().toString(), transferIn.metadata().causationId(),
                    "the automation's deposit is caused by the withdrawal");
            assertEquals(new Deposited("bob", 25_00), transferIn.data());
            assertTrue(store.checkpoints().load(BankApp.TRANSFERS).isPresent());
            assertEquals(log.get(6).position(), store.checkpoints().load(BankApp.BALANCES).orElseThrow());
        }
    }

    @Test
    void aSecondRunKeepsTheAccountsAndAddsToTheirBalances() {
        String url = "jdbc:sqlite:" + directory.resolve("bank.db");
        run(url);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BankApp.Summary second = BankApp.run(url, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("account alice is already open"), printed);
        assertEquals(5, second.eventsAppended());
        assertEquals(12, second.eventsInStore());
        assertEquals(Map.of("alice", 90_00L, "bob", 90_00L), second.balances());
        assertTrue(second.rejected().contains("cannot withdraw 6501"), second.rejected());
    }
}
