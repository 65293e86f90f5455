package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Partition leases and partitioned subscriptions on PostgreSQL. */
class PostgresPartitionLeaseTest extends PartitionLeaseContract {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
