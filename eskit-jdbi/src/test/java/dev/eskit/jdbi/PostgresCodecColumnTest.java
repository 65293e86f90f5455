package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresCodecColumnTest extends CodecColumnContract {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
