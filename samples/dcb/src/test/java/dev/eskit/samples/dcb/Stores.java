package dev.eskit.samples.dcb;

import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.samples.dcb.courses.CoursesEventTypes;
import dev.eskit.samples.dcb.invoices.InvoicesEventTypes;
import dev.eskit.samples.dcb.users.UsersEventTypes;
import dev.eskit.store.InMemoryEventStore;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The stores the sample's scenarios run on: in memory and a SQLite file. */
public final class Stores {

    /** The generated registries of the three domains. */
    public static final EventTypes TYPES = EventTypes.of(new CoursesEventTypes(), new UsersEventTypes(),
            new InvoicesEventTypes());

    private Stores() {
    }

    /** Named factories of fresh stores in {@code dir}. */
    public static Stream<Arguments> all() {
        Function<Path, DcbEventStore> memory = dir -> new InMemoryEventStore(TYPES);
        Function<Path, DcbEventStore> sqlite = dir -> JdbiEventStore.sqlite(
                "jdbc:sqlite:" + dir.resolve(UUID.randomUUID() + ".db"), TYPES);
        return Stream.of(Arguments.of("in memory", memory), Arguments.of("SQLite", sqlite));
    }
}
