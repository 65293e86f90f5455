package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Partition leases and partitioned subscriptions on PostgreSQL. */
class PostgresPartitionLeaseTest extends PartitionLeaseContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
