package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Partition leases and partitioned subscriptions on SQLite. */
class SqlitePartitionLeaseTest extends PartitionLeaseContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
