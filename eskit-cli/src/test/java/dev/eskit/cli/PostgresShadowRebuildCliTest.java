package dev.eskit.cli;

import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.testkit.EskitDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code eskit projections rebuild --shadow} and {@code cleanup} on PostgreSQL. */
class PostgresShadowRebuildCliTest extends ShadowRebuildCliContract {

    @RegisterExtension
    static final EskitDatabase SCHEMA = EskitDatabase.postgres();

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private String prefix;

    @Override
    JdbiEventStore newStore() {
        prefix = "r" + PREFIXES.incrementAndGet() + "_";
        return Fixtures.builder().url(EskitDatabase.postgresUrl()).schema(SCHEMA.schema()).tablePrefix(prefix).build();
    }

    @Override
    List<String> storeArgs() {
        return List.of("--url", EskitDatabase.postgresUrl(), "--schema", SCHEMA.schema(), "--prefix", prefix);
    }

    @Override
    String qualifier() {
        return SCHEMA.schema() + "." + prefix;
    }

    @Override
    Jdbi jdbi() {
        return Jdbi.create(EskitDatabase.postgresUrl());
    }
}
