package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eskit.StreamRef;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.CommandBus;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.spring.members.MemberCommand.Join;
import dev.eskit.spring.members.MemberEvent.Joined;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code @PersonalData} through the starter: a {@code PersonalDataProtector} bean is all it takes. */
class EskitPersonalDataTest {

    private static final String EMAIL = "ada@example.com";

    @TempDir
    Path dir;

    private ApplicationContextRunner sqlite() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        EskitAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
                        "eskit.commands.log.enabled=true", "eskit.commands.queue.enabled=true",
                        "eskit.commands.queue.workers=0");
    }

    @Test
    void withAProtectorBeanEventsCommandLogAndQueueHoldCiphertextAtRest() {
        sqlite().withUserConfiguration(Protector.class).run(context -> {
            assertThat(context).hasNotFailed();
            List<String> stored = joinAndReadEveryPayload(context.getBean(CommandBus.class),
                    context.getBean(CommandQueue.class), context.getBean(DataSource.class));
            assertThat(stored).hasSize(3).noneMatch(text -> text.contains(EMAIL))
                    .anyMatch(text -> text.contains("eskit:pd"));
            JdbiEventStore store = context.getBean(JdbiEventStore.class);
            assertThat(((Joined) store.load(StreamRef.of("member", "m-1")).get(0).data()).email()).isEqualTo(EMAIL);
            context.getBean(PersonalDataProtector.class).forget("m-1");
            assertThat(((Joined) store.load(StreamRef.of("member", "m-1")).get(0).data()).email())
                    .isEqualTo("[erased]");
        });
    }

    @Test
    void withoutAProtectorBeanPersonalDataIsPlainText() {
        sqlite().run(context -> assertThat(joinAndReadEveryPayload(context.getBean(CommandBus.class),
                context.getBean(CommandQueue.class), context.getBean(DataSource.class)))
                .anyMatch(text -> text.contains(EMAIL)));
    }

    @Test
    void aProtectorBeanTheEventCodecBeanDoesNotUseFailsTheStart() {
        sqlite().withUserConfiguration(Protector.class, PlainCodec.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining(
                    "A PersonalDataProtector bean is defined, but the event store's codec does not use it");
        });
    }

    /** Joins m-1 through the bus and enqueues m-2's join; every stored event and command payload. */
    private static List<String> joinAndReadEveryPayload(CommandBus bus, CommandQueue queue, DataSource db) {
        bus.send(new Join("m-1", EMAIL));
        queue.enqueue(new Join("m-2", EMAIL));   // no workers: stays pending
        JdbcTemplate sql = new JdbcTemplate(db);
        List<String> stored = new ArrayList<>();
        stored.addAll(sql.queryForList("SELECT data FROM eskit_events", String.class));
        stored.addAll(sql.queryForList("SELECT payload FROM eskit_command_log", String.class));
        stored.addAll(sql.queryForList("SELECT payload FROM eskit_command_queue", String.class));
        return stored;
    }

    @Configuration(proxyBeanMethods = false)
    static class Protector {
        @Bean
        PersonalDataProtector protector() {
            return PersonalDataProtector.discover(SubjectKeys.create(SubjectKeyStore.inMemory(),
                    MasterKey.of("test", new byte[32])));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainCodec {
        @Bean
        EventCodec codec(EventTypes types) {
            return JsonEventCodec.create(types);
        }
    }
}
