package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteSchemaTest extends SchemaContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String folder() {
        return "sqlite";
    }

    @Override
    String schemaOf(Databases.Location location) {
        return "";
    }
}
