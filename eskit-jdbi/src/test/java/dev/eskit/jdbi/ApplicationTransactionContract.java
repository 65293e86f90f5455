package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Appends inside the application's own transaction commit or roll back together with its rows. */
abstract class ApplicationTransactionContract {

    static final StreamRef ORDER = StreamRef.of("order", "o-1");

    abstract Databases db();

    /** The qualifier of the application's tables at {@code location} (its schema on PostgreSQL). */
    abstract String qualifier(Databases.Location location);

    private Jdbi applicationTables(Databases.Location location) {
        Jdbi jdbi = Jdbi.create(location.dataSource());
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE " + qualifier(location)
                + "orders (id text PRIMARY KEY)"));
        return jdbi;
    }

    private static AppendRequest placed(ExpectedVersion expected) {
        return AppendRequest.of(ORDER, expected, List.of(new Deposited("o-1", 5)));
    }

    private long orders(Jdbi jdbi, Databases.Location location) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + qualifier(location) + "orders")
                .mapTo(Long.class).one());
    }

    @Test
    void eventsAndTheApplicationsRowsCommitTogetherAndSubscribersWakeAfterTheCommit() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        Jdbi jdbi = applicationTables(location);
        AtomicInteger wakeUps = new AtomicInteger();
        store.onAppend(wakeUps::incrementAndGet);
        AppendResult result = jdbi.inTransaction(handle -> {
            handle.execute("INSERT INTO " + qualifier(location) + "orders (id) VALUES (?)", "o-1");
            AppendResult inside = store.append(handle, placed(ExpectedVersion.noStream()));
            assertEquals(0, wakeUps.get(), "no wake-up before the commit");
            return inside;
        });
        assertEquals(1, wakeUps.get());
        assertEquals(1, orders(jdbi, location));
        assertEquals(1, store.streamVersion(ORDER));
        assertEquals(result.events(), store.load(ORDER));
        assertEquals(result.events().get(0).position(), store.raw().readAll(Position.START, 10, java.util.Set.of())
                .get(0).position());
    }

    @Test
    void aRollbackUndoesTheEventsAndTheApplicationsRows() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        Jdbi jdbi = applicationTables(location);
        assertThrows(IllegalStateException.class, () -> jdbi.useTransaction(handle -> {
            handle.execute("INSERT INTO " + qualifier(location) + "orders (id) VALUES (?)", "o-1");
            store.append(handle, placed(ExpectedVersion.noStream()));
            throw new IllegalStateException("the application changes its mind");
        }));
        assertEquals(0, orders(jdbi, location));
        assertEquals(0, store.streamVersion(ORDER));
        assertTrue(store.load(ORDER).isEmpty());
        store.append(placed(ExpectedVersion.noStream()));
        assertEquals(1, store.streamVersion(ORDER));
    }

    @Test
    void aRefusedAppendLeavesTheApplicationsTransactionUsable() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        store.append(placed(ExpectedVersion.noStream()));
        Jdbi jdbi = applicationTables(location);
        jdbi.useTransaction(handle -> {
            handle.execute("INSERT INTO " + qualifier(location) + "orders (id) VALUES (?)", "o-1");
            assertThrows(ConcurrencyException.class, () -> store.append(handle, placed(ExpectedVersion.noStream())));
            handle.execute("INSERT INTO " + qualifier(location) + "orders (id) VALUES (?)", "o-2");
        });
        assertEquals(2, orders(jdbi, location));
        assertEquals(1, store.streamVersion(ORDER), "the refused append changed nothing");
        store.append(placed(ExpectedVersion.exactly(1)));
        assertEquals(2, store.load(ORDER).size());
    }

    @Test
    void aPlainConnectionWorksAndAutoCommitIsRefused() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        try (Connection connection = location.rawConnection()) {
            StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                    () -> store.append(connection, placed(ExpectedVersion.noStream())));
            assertTrue(error.getMessage().contains("auto-commit"), error.getMessage());
            connection.setAutoCommit(false);
            store.append(connection, placed(ExpectedVersion.noStream()));
            assertEquals(0, store.streamVersion(ORDER), "not committed yet");
            connection.commit();
        }
        assertEquals(1, store.streamVersion(ORDER));
        assertFalse(store.load(ORDER).isEmpty());
    }
}
