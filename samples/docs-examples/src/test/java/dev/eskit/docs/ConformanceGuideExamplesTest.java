package dev.eskit.docs;

import dev.eskit.EventStore;
import dev.eskit.codec.EventTypes;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.testkit.EventStoreConformance;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of docs/conformance.md (there named {@code SqliteEventStoreConformanceTest}), verbatim: the whole
 * conformance suite on SQLite.
 */
class ConformanceGuideExamplesTest extends EventStoreConformance {
    @TempDir Path dir;

    @Override
    protected EventStore createStore(EventTypes types) {
        return JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve(UUID.randomUUID() + ".db"), types);
    }
}
