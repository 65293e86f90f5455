package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 mid shadow rebuild on SQLite. (It once failed on an idle machine: the shadow's back-to-back write
 * transactions kept SQLite's one writer lock, so node a's progress reports waited until the shadow had caught up; the
 * write transactions of a process now queue fairly, see {@code SqliteWriteQueueTest}.)
 */
class SqliteShadowRebuildKillTest extends ShadowRebuildKillContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
