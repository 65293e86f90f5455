package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresSchemaTest extends SchemaContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String folder() {
        return "postgres";
    }

    @Override
    String schemaOf(Databases.Location location) {
        return DB.schema() + ".";
    }
}
