package dev.eskit.jdbi;

import dev.eskit.StoredEvent;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.jdbi.subscription.JdbiTodoStore;
import dev.eskit.testkit.tenancy.TenancyConformance;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** The tenancy conformance suite on one database: every shared store on the same location. */
abstract class JdbiTenancyConformance extends TenancyConformance {

    abstract Databases db();

    Databases.Location location;

    @Override
    protected SharedStores createStores(EventTypes types) {
        location = db().newLocation();
        JdbiEventStore store = db().track(location.builder(JsonEventCodec.create(types)).build());
        Jdbi jdbi = Jdbi.create(location.dataSource());
        return new SharedStores(store, store.snapshots(), store.checkpoints(), JdbiDeadLetterStore.create(jdbi, store),
                JdbiTodoStore.create(jdbi, store.tableNames(), Clock.systemUTC()),
                JdbiSubjectKeyStore.create(jdbi, store.tableNames()));
    }

    @Override
    protected dev.eskit.command.queue.CommandQueueStore commandQueue(SharedStores stores) {
        return dev.eskit.jdbi.command.JdbiCommandQueueStore.create(Jdbi.create(location.dataSource()),
                (JdbiEventStore) stores.events());
    }

    @Override
    protected dev.eskit.command.log.CommandLog commandLog(SharedStores stores) {
        return dev.eskit.jdbi.command.JdbiCommandLog.create(Jdbi.create(location.dataSource()),
                (JdbiEventStore) stores.events());
    }

    @Override
    protected dev.eskit.partition.PartitionLeaseStore partitionLeases(SharedStores stores) {
        return dev.eskit.jdbi.subscription.JdbiPartitionLeases.create(Jdbi.create(location.dataSource()),
                (JdbiEventStore) stores.events());
    }

    @Override
    protected boolean corrupt(SharedStores stores, StoredEvent<?> event) {
        JdbiEventStore store = (JdbiEventStore) stores.events();
        try (Connection raw = location.rawConnection();
             PreparedStatement update = raw.prepareStatement("UPDATE " + store.tableNames().events()
                     + " SET data = ? WHERE stream_type = ? AND stream_id = ? AND version = ?")) {
            update.setBytes(1, "{\"accountId\": tru".getBytes(StandardCharsets.UTF_8));
            update.setString(2, event.streamType());
            update.setString(3, event.streamId());
            update.setLong(4, event.version());
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("The event to corrupt, " + event.stream() + " version "
                        + event.version() + ", is not in the table");
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void close(SharedStores stores) {
        // db() closes the tracked store after the test.
    }
}
