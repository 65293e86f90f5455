package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.subscription.Subscription;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read horizon waits only for transactions that can write to this store: a long write transaction in another
 * database, or on another table of the same database, does not delay delivery.
 */
class PostgresHorizonTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    static final Duration HELD_OPEN = Duration.ofSeconds(20);
    static final Duration DELIVERY = Duration.ofSeconds(1);

    @Test
    void unrelatedWriteTransactionsHeldOpenDoNotDelayDelivery() throws Exception {
        JdbiEventStore store = DB.newStore();
        String otherDatabase = Databases.postgresUrl().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection sameDatabase = DriverManager.getConnection(Databases.postgresUrl());
             Connection elsewhere = DriverManager.getConnection(otherDatabase);
             Subscription live = Subscription.builder("live", store, store.checkpoints())
                     .pollInterval(Duration.ofMillis(50)).handler(event -> seen.add(event.globalPosition()))
                     .build().start()) {
            assertTrue(live.awaitCaughtUp(Duration.ofSeconds(60)));
            // Two write transactions that stay open: one on another table of this database, one in another database.
            sameDatabase.setAutoCommit(false);
            elsewhere.setAutoCommit(false);
            try (Statement a = sameDatabase.createStatement(); Statement b = elsewhere.createStatement()) {
                a.execute("CREATE TABLE " + DB.schema() + ".unrelated (x int)");
                a.execute("INSERT INTO " + DB.schema() + ".unrelated VALUES (1)");
                b.execute("CREATE TEMP TABLE unrelated (x int)");
                b.execute("INSERT INTO unrelated VALUES (1)");
            }
            long until = System.nanoTime() + HELD_OPEN.toNanos();
            int appended = 0;
            while (System.nanoTime() < until) {
                Position position = store.append(StreamRef.of("account", "a"), ExpectedVersion.any(),
                        List.of(new Deposited("a", ++appended))).lastPosition();
                long appendedAt = System.nanoTime();
                while (!seen.contains(position.sequence())) {
                    assertTrue(System.nanoTime() - appendedAt < DELIVERY.toNanos(), "event " + appended
                            + " appended while unrelated transactions were open reached the subscriber in time");
                    LockSupport.parkNanos(1_000_000);
                }
                LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            }
            assertTrue(appended >= 5);
            sameDatabase.rollback();
            elsewhere.rollback();
        }
    }

    @Test
    void anApplicationTransactionThatWroteFirstIsRefusedOnceLaterEventsCommittedAndAcceptedOtherwise() {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(location.dataSource());
        String orders = DB.schema() + ".late_orders";
        jdbi.useHandle(h -> h.execute("CREATE TABLE " + orders + " (id text)"));
        StreamRef mine = StreamRef.of("order", "mine");

        // It wrote (and so got its transaction id) first; then a later transaction's events committed.
        TransactionTooOldException refused = org.junit.jupiter.api.Assertions.assertThrows(
                TransactionTooOldException.class, () -> jdbi.useTransaction(handle -> {
                    handle.execute("INSERT INTO " + orders + " VALUES ('late')");
                    store.append(StreamRef.of("order", "other"), ExpectedVersion.any(),
                            List.of(new Deposited("o", 1)));
                    store.append(handle, dev.eskit.AppendRequest.of(mine, ExpectedVersion.noStream(),
                            List.of(new Deposited("m", 1))));
                }));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("had a transaction id before this"
                + " append") && refused.getMessage().contains("Roll the transaction back"), refused.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(0, store.streamVersion(mine));

        // Wrote first, but nothing committed since: accepted. Appended first, then more: accepted too.
        jdbi.useTransaction(handle -> {
            handle.execute("INSERT INTO " + orders + " VALUES ('quiet')");
            store.append(handle, dev.eskit.AppendRequest.of(mine, ExpectedVersion.noStream(),
                    List.of(new Deposited("m", 1))));
        });
        jdbi.useTransaction(handle -> {
            store.append(handle, dev.eskit.AppendRequest.of(mine, ExpectedVersion.exactly(1),
                    List.of(new Deposited("m", 2))));
            store.append(StreamRef.of("order", "other"), ExpectedVersion.any(), List.of(new Deposited("o", 2)));
            store.append(handle, dev.eskit.AppendRequest.of(mine, ExpectedVersion.exactly(2),
                    List.of(new Deposited("m", 3))));
        });
        org.junit.jupiter.api.Assertions.assertEquals(3, store.streamVersion(mine));
    }

    final Set<Long> seen = ConcurrentHashMap.newKeySet();
}
