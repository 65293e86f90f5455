package dev.eskit.samples.springbank;

import dev.eskit.testkit.EskitDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API on a fresh SQLite file. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBankSqliteTest extends BankApiContract {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.sqlite();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
    }

    @Override
    String expectedDatabase() {
        return "SQLite";
    }
}
