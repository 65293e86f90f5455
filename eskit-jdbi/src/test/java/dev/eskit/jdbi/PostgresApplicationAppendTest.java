package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An append in the application's transaction on PostgreSQL runs in one round trip when the transaction had no id
 * before it (savepoint, locks, the member statement, release), and falls back to the steps one by one otherwise. Its
 * refusals and failures leave the application's transaction usable, and what it reports is what is stored.
 */
class PostgresApplicationAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    private static final StreamRef ORDER = StreamRef.of("order", "a-1");

    private static AppendRequest deposit(ExpectedVersion expected, long cents) {
        return AppendRequest.of(ORDER, expected, List.of(new Deposited("a-1", cents)));
    }

    private static void createOrders(Connection connection, Databases.Location location) throws Exception {
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE " + location + "orders (id text PRIMARY KEY)");
        }
    }

    private static void insertOrder(Connection connection, Databases.Location location, String id) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + location
                + "orders (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement query = connection.createStatement(); ResultSet row = query.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /**
     * A transaction without an id yet appends with one statement string: one statement prepared on the application's
     * connection, no savepoint set through JDBC (it is in the string), no other statement.
     */
    @Test
    void aFreshTransactionsAppendIsOneStatementString() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        store.append(deposit(ExpectedVersion.noStream(), 1));
        try (Connection raw = location.rawConnection()) {
            raw.setAutoCommit(false);
            List<String> calls = new java.util.ArrayList<>();
            Connection counted = (Connection) java.lang.reflect.Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.startsWith("prepare") || name.equals("createStatement") || name.contains("Savepoint")
                                || name.equals("rollback") || name.equals("commit")) {
                            calls.add(name);
                        }
                        try {
                            return method.invoke(raw, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            AppendResult result = store.append(counted, deposit(ExpectedVersion.exactly(1), 2));
            assertEquals(List.of("prepareStatement"), calls);
            raw.commit();
            assertEquals(result.events().get(0).position(), store.load(ORDER).get(1).position());
        }
    }

    /** Appends first (one round trip), then again (it has an id now: the step-by-step path), then its own row. */
    @Test
    void appendsBeforeAndAfterTheTransactionHasAnIdCommitWithTheApplicationsRows() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        try (Connection connection = location.rawConnection()) {
            createOrders(connection, location);
            connection.setAutoCommit(false);
            AppendResult first = store.append(connection, deposit(ExpectedVersion.noStream(), 1));
            AppendResult second = store.append(connection, deposit(ExpectedVersion.exactly(1), 2));
            insertOrder(connection, location, "o-1");
            assertEquals(0, store.streamVersion(ORDER), "not committed yet");
            connection.commit();
            List<StoredEvent<Object>> stored = store.load(ORDER);
            assertEquals(2, stored.size());
            assertEquals(first.events().get(0).position(), stored.get(0).position());
            assertEquals(second.events().get(0).position(), stored.get(1).position());
            assertEquals(first.events().get(0).id(), stored.get(0).id());
            assertTrue(stored.get(1).position().isAfter(stored.get(0).position()));
            assertEquals(1, count(connection, "SELECT count(*) FROM " + location + "orders"));
        }
    }

    /** A refused append writes nothing, and the transaction goes on; a duplicate key returns the first events. */
    @Test
    void refusalsWriteNothingAndLeaveTheTransactionUsable() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        AppendResult original = store.append(deposit(ExpectedVersion.noStream(), 1).withIdempotencyKey("app-k1"));
        try (Connection connection = location.rawConnection()) {
            createOrders(connection, location);
            connection.setAutoCommit(false);
            assertThrows(ConcurrencyException.class,
                    () -> store.append(connection, deposit(ExpectedVersion.noStream(), 2)));
            AppendResult duplicate = store.append(connection, deposit(ExpectedVersion.exactly(7), 3)
                    .withIdempotencyKey("app-k1"));
            assertTrue(duplicate.duplicate());
            assertEquals(original.events().get(0).id(), duplicate.events().get(0).id());
            insertOrder(connection, location, "o-2");
            connection.commit();
            assertEquals(1, count(connection, "SELECT count(*) FROM " + location + "orders"));
        }
        assertEquals(1, store.streamVersion(ORDER));
    }

    /**
     * A statement that fails inside the append (here a row written around the store takes the version the append
     * wants) is rolled back to the append's savepoint: the failure is reported, the application's rows stay, and
     * the transaction commits them.
     */
    @Test
    void aFailingAppendIsRolledBackToItsSavepointAndTheApplicationsRowsStay() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        store.append(deposit(ExpectedVersion.noStream(), 1));
        TableNames tables = store.tableNames();
        try (Connection connection = location.rawConnection()) {
            createOrders(connection, location);
            try (Statement around = connection.createStatement()) {
                around.execute("INSERT INTO " + tables.events() + " (seq, id, stream_type, stream_id, version,"
                        + " event_type, schema_version, created_at, data) VALUES (nextval('"
                        + tables.table("events_seq") + "'), gen_random_uuid(), 'order', 'a-1', 2, 'test.Deposited', 1,"
                        + " now(), '\\x7b7d'::bytea)");
            }
            connection.setAutoCommit(false);
            insertOrder(connection, location, "o-3");
            // The transaction has an id now (it wrote): the steps run one by one; a fresh one takes one round trip.
            assertThrows(StoreAccessException.class,
                    () -> store.append(connection, deposit(ExpectedVersion.exactly(1), 2)));
            insertOrder(connection, location, "o-4");
            connection.commit();
            connection.setAutoCommit(false);
            StoreAccessException fresh = assertThrows(StoreAccessException.class,
                    () -> store.append(connection, deposit(ExpectedVersion.exactly(1), 2)));
            assertFalse(fresh instanceof AppendOutcomeUnknownException, fresh.toString());
            insertOrder(connection, location, "o-5");
            connection.commit();
            assertEquals(3, count(connection, "SELECT count(*) FROM " + location + "orders"));
        }
        // Version 2 is the row written around the store (a stream's version is its events' highest).
        assertEquals(2, store.streamVersion(ORDER), "the failed appends changed nothing");
    }
}
