package dev.eskit.cli;

import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;

/** {@code eskit projections rebuild --shadow} and {@code cleanup} on SQLite. */
class SqliteShadowRebuildCliTest extends ShadowRebuildCliContract {

    @TempDir
    Path directory;

    private String url;

    @Override
    JdbiEventStore newStore() {
        url = "jdbc:sqlite:" + directory.resolve("shop.db");
        return Fixtures.builder().url(url).build();
    }

    @Override
    List<String> storeArgs() {
        return List.of("--url", url);
    }

    @Override
    String qualifier() {
        return "";
    }

    @Override
    Jdbi jdbi() {
        return Jdbi.create(url);
    }
}
