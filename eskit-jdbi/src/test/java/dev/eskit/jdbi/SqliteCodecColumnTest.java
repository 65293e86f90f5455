package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteCodecColumnTest extends CodecColumnContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
