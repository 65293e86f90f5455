package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.samples.bank.OpenAccount;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class EskitSpringTransactionTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                        EskitAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
                        "eskit.store.join-spring-transactions=true");
    }

    @Test
    void eventsCommitAndRollBackWithTheApplicationsOwnWrites() {
        runner().run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            CommandBus bus = context.getBean(CommandBus.class);
            JdbiEventStore store = context.getBean(JdbiEventStore.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            jdbc.execute("CREATE TABLE customers (id TEXT PRIMARY KEY)");

            assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO customers (id) VALUES (?)", "rolled-back");
                bus.send(new OpenAccount("rolled-back", "Rob"));
                throw new IllegalStateException("the application changes its mind");
            })).hasMessage("the application changes its mind");
            assertThat(store.streamVersion(StreamRef.of("account", "rolled-back"))).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM customers", Integer.class)).isZero();

            tx.executeWithoutResult(status -> {
                jdbc.update("INSERT INTO customers (id) VALUES (?)", "kept");
                bus.send(new OpenAccount("kept", "Kim"));
            });
            assertThat(store.streamVersion(StreamRef.of("account", "kept"))).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM customers", Integer.class)).isEqualTo(1);

            bus.send(new OpenAccount("outside", "Oli"));   // no transaction: the store's own
            assertThat(store.streamVersion(StreamRef.of("account", "outside"))).isEqualTo(1);
        });
    }
}
