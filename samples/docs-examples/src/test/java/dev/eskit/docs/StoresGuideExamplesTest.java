package dev.eskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.StreamTombstonedException;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StoreConfigurationException;
import dev.eskit.jdbi.sqlite.Synchronous;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The examples of docs/stores.md, on a temporary SQLite file (the PostgreSQL lines are compiled, not run). */
class StoresGuideExamplesTest {

    private static EventTypes types() {
        return EventTypes.builder().add("bank.Deposited", Deposited.class).build();
    }

    /**
     * "Creating a store", verbatim. Compiled only: it needs a PostgreSQL server at db:5432 and a pool; the SQLite
     * variants are exercised below.
     */
    @SuppressWarnings("unused")
    static void creatingAStoreAsOnThePage(DataSource hikariDataSource, Jdbi jdbi) {
        EventCodec codec = JsonEventCodec.create(EventTypes.discover());

        JdbiEventStore sqlite = JdbiEventStore.sqlite("jdbc:sqlite:data/app.db", codec);
        JdbiEventStore pg = JdbiEventStore.postgres("jdbc:postgresql://db:5432/app?user=app", codec);
        JdbiEventStore onPool = JdbiEventStore.create(hikariDataSource, codec);   // database kind detected
        JdbiEventStore onJdbi = JdbiEventStore.create(jdbi, codec);

        JdbiEventStore tuned = JdbiEventStore.builder(codec)
            .url("jdbc:postgresql://db:5432/app?user=app")   // or .jdbi(...) / .dataSource(...)
            .schema("billing")                               // PostgreSQL only; default "public"
            .tablePrefix("eskit_")                           // default "eskit_"
            .maxConnections(16)                              // the store's HikariCP pool (URL only); default 8
            .synchronous(Synchronous.FULL)                   // SQLite only; default NORMAL
            .busyTimeout(Duration.ofSeconds(10))             // SQLite only; default 10 s
            .clock(Clock.systemUTC())
            .autoMigrate(true)                               // false: only check the schema version (Flyway/Liquibase)
            .build();
    }

    @Test
    void appendingInsideYourOwnTransactionCommitsBothOrNeither(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        try (JdbiEventStore store = JdbiEventStore.sqlite(url, JsonEventCodec.create(types()))) {
            Jdbi jdbi = Jdbi.create(url);
            jdbi.useHandle(handle -> handle.execute("CREATE TABLE orders (id text PRIMARY KEY)"));
            String orderId = "o-1";
            List<Deposited> events = List.of(new Deposited(orderId, 5));
            // As on the page:
            jdbi.useTransaction(handle -> {
                handle.execute("INSERT INTO orders (id) VALUES (?)", orderId);
                store.append(handle, AppendRequest.of(StreamRef.of("order", orderId), ExpectedVersion.noStream(), events));
            });
            assertEquals(1, store.streamVersion(StreamRef.of("order", orderId)));
            int orders = jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM orders")
                    .mapTo(Integer.class).one());
            assertEquals(1, orders);
            // "Reading long streams": a consumer instead of a list.
            long[] total = {0};
            store.load(StreamRef.of("order", orderId), 1,
                    event -> total[0] += ((Deposited) event.data()).amountCents());
            assertEquals(5, total[0]);
        }
    }

    @Test
    void theSqliteBuilderCreatesTablesAndAppendsAndReads(@TempDir Path dir) {
        EventCodec codec = JsonEventCodec.create(types());
        String url = "jdbc:sqlite:" + dir.resolve("app.db");
        try (JdbiEventStore tuned = JdbiEventStore.builder(codec)
                .url(url)
                .tablePrefix("eskit_")
                .maxConnections(16)
                .synchronous(Synchronous.FULL)
                .busyTimeout(Duration.ofSeconds(10))
                .clock(Clock.systemUTC())
                .build()) {
            StreamRef stream = StreamRef.of("account", "a-17");
            tuned.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("a-17", 500)));
            assertEquals(1, tuned.streamVersion(stream));
            assertEquals("eskit_events", tuned.tableNames().events());
        }
        // Opening again runs no migration and sees the data; sqlite(url, codec) is the short form.
        try (JdbiEventStore sqlite = JdbiEventStore.sqlite(url, codec)) {
            assertEquals(new Deposited("a-17", 500), sqlite.load(StreamRef.of("account", "a-17")).get(0).data());
        }
    }

    @Test
    void streamAdministrationBehavesAsTheTableSays(@TempDir Path dir) {
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("admin.db"), types())) {
            StreamRef stream = StreamRef.of("account", "a-1");
            store.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("a-1", 1)));

            store.archive(stream);
            assertEquals(StreamStatus.ARCHIVED, store.status(stream));
            assertThrows(StreamArchivedException.class,
                    () -> store.append(stream, ExpectedVersion.any(), List.of(new Deposited("a-1", 2))));
            assertEquals(1, store.load(stream).size());   // kept, readable
            store.restore(stream);
            store.append(stream, ExpectedVersion.exactly(1), List.of(new Deposited("a-1", 2)));

            store.delete(stream);   // appends start again at version 1
            store.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("a-1", 3)));
            assertEquals(1, store.streamVersion(stream));

            store.delete(stream);
            store.tombstone(stream);   // erased, and the id is never reused
            assertEquals(StreamStatus.TOMBSTONED, store.status(stream));
            assertThrows(StreamTombstonedException.class,
                    () -> store.append(stream, ExpectedVersion.any(), List.of(new Deposited("a-1", 4))));
        }
    }

    @Test
    void aProjectionSavesItsReadModelAndCheckpointInOneTransaction(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("bank.db");
        try (JdbiEventStore store = JdbiEventStore.sqlite(url, types())) {
            store.append(StreamRef.of("account", "a-17"), ExpectedVersion.noStream(),
                    List.of(new Deposited("a-17", 500), new Deposited("a-17", 250)));

            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(10_000);   // wait for the store's write lock instead of failing with SQLITE_BUSY
            SQLiteDataSource dataSource = new SQLiteDataSource(config);
            dataSource.setUrl(url);
            Jdbi jdbi = Jdbi.create(dataSource);
            jdbi.useHandle(handle -> {
                handle.execute("CREATE TABLE balances (account TEXT PRIMARY KEY, cents INTEGER NOT NULL)");
                handle.execute("INSERT INTO balances VALUES ('a-17', 0)");
            });

            for (StoredEvent<Object> event : store.readAll(Position.START, 100)) {
                Deposited e = (Deposited) event.data();
                // As on the page:
                jdbi.useTransaction(handle -> {
                    handle.execute("UPDATE balances SET cents = cents + ? WHERE account = ?", e.amountCents(), e.accountId());
                    store.checkpoints().save(handle, "balances", event.position());
                });
            }

            long cents = jdbi.withHandle(handle -> handle.createQuery("SELECT cents FROM balances WHERE account = 'a-17'")
                    .mapTo(Long.class).one());
            assertEquals(750, cents);
            Optional<Position> checkpoint = store.checkpoints().load("balances");
            assertEquals(Optional.of(store.readAll(Position.START, 100).get(1).position()), checkpoint);
        }
    }

    @Test
    void openExistingRefusesToCreateTablesAndRawReadsTheStoredBytes(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("tools.db");
        EventCodec codec = JsonEventCodec.create(types());
        StoreConfigurationException missing = assertThrows(StoreConfigurationException.class,
                () -> JdbiEventStore.builder(codec).url(url).openExisting().build().close());
        assertTrue(missing.getMessage().contains("no eskit tables"), missing.getMessage());

        try (JdbiEventStore store = JdbiEventStore.sqlite(url, codec)) {
            store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(new Deposited("a-1", 5)));
        }
        try (JdbiEventStore tool = JdbiEventStore.builder(codec).url(url).openExisting().build()) {
            var raw = tool.raw().readAll(Position.START, 10, java.util.Set.of());
            assertEquals(1, raw.size());
            assertTrue(raw.get(0).dataText().contains("\"amountCents\":5"), raw.get(0).dataText());
            assertEquals(1, tool.raw().countAfter(Position.START, java.util.Set.of()));
        }
    }
}
