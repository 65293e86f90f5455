package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The durable command queue on Postgres. */
class PostgresCommandQueueTest extends CommandQueueContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    int drainCommands() {
        return Integer.getInteger("eskit.queue.drainCommands", 10_000);
    }
}
