package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The append size bound on Sqlite. */
class SqliteAppendSizeLimitTest extends AppendSizeLimitContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
