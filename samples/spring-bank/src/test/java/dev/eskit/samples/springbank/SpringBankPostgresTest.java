package dev.eskit.samples.springbank;

import dev.eskit.testkit.EskitDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API on PostgreSQL, in a schema of its own. Skipped with a message when the server at {@code ESKIT_PG_URL} is
 * unreachable, unless {@code ESKIT_REQUIRE_PG=1}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBankPostgresTest extends BankApiContract {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.postgres();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("eskit.store.schema", DB::schema);
    }

    @Override
    String expectedDatabase() {
        return "PostgreSQL";
    }
}
