package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The append at a known last event's contract on PostgreSQL with group commit on: such appends share the group
 * statement ({@link PostgresGroupAppends}), with the same check as the lean statement's.
 */
class PostgresGroupedHeadAppendTest extends HeadAppendContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    JdbiEventStore newStore() {
        return DB.open(DB.newLocation(), builder -> builder.groupCommit(true));
    }
}
