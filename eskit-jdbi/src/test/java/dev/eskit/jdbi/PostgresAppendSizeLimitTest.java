package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The append size bound on Postgres. */
class PostgresAppendSizeLimitTest extends AppendSizeLimitContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
