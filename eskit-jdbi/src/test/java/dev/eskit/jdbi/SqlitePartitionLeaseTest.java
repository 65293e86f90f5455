package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Partition leases and partitioned subscriptions on SQLite. */
class SqlitePartitionLeaseTest extends PartitionLeaseContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
