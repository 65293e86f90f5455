package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The durable command queue on Sqlite. */
class SqliteCommandQueueTest extends CommandQueueContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    int drainCommands() {
        return Integer.getInteger("eskit.queue.drainCommands", 2_000);
    }
}
