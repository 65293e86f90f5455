package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The tenancy conformance suite on PostgreSQL. */
class PostgresTenancyConformanceTest extends JdbiTenancyConformance {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    /** Each call is another node: its own dedicated connection, the same namespace. */
    @Override
    protected dev.eskit.leader.LeaderElection leaderElectionNode(SharedStores stores) {
        return dev.eskit.jdbi.postgres.PostgresLeaderElection.on(location.dataSource(),
                "tenancy-" + ((JdbiEventStore) stores.events()).tableNames().schema());
    }
}
