package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteCodecColumnTest extends CodecColumnContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
