package dev.eskit.cli;

import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.dcb.Tag;
import dev.eskit.dcb.TaggedEvent;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Stores filled with the test application's events (and one type the application does not know). */
final class Fixtures {

    /** A type only the writer knows: the CLI shows it as stored JSON. */
    record Thing(String name) {
    }

    static final EventTypes WRITER_TYPES = EventTypes.builder()
            .addAll(new ShopEventTypes())
            .add(EventType.of("legacy.Thing", Thing.class))
            .build();

    static final StreamRef O1 = StreamRef.of("order", "o-1");
    static final StreamRef O2 = StreamRef.of("order", "o-2");
    static final StreamRef LEGACY = StreamRef.of("legacy", "x");
    static final StreamRef OLD = StreamRef.of("order", "o-old");

    private Fixtures() {
    }

    static JdbiEventStore.Builder builder() {
        return JdbiEventStore.builder(JsonEventCodec.create(WRITER_TYPES));
    }

    /**
     * Six events: o-1 ordered (correlation req-1) and shipped, o-2 ordered (req-2), a legacy thing, and o-old written
     * at schema version 1 (no currency) by an import.
     */
    static void fill(JdbiEventStore store) {
        store.append(O1, ExpectedVersion.noStream(), List.of(new ShopEventTypes.Ordered("o-1", 1250, "USD")),
                Metadata.correlatedBy("req-1"));
        store.append(O2, ExpectedVersion.noStream(), List.of(new ShopEventTypes.Ordered("o-2", 99, "EUR")),
                Metadata.correlatedBy("req-2"));
        store.append(O1, ExpectedVersion.exactly(1), List.of(new ShopEventTypes.Shipped("o-1")),
                Metadata.correlatedBy("req-1"));
        store.append(LEGACY, ExpectedVersion.noStream(), List.of(new Thing("widget")));
        store.raw().importEvents(List.of(new RawEvent(UUID.randomUUID(), OLD, 1, "shop.Ordered", 1, Position.START,
                Instant.parse("2020-01-01T00:00:00Z"), null,
                "{\"orderId\":\"o-old\",\"cents\":5}".getBytes(StandardCharsets.UTF_8))));
    }

    static final Tag CUSTOMER_K1 = Tag.of("customer", "k1");

    /**
     * Three events appended through DCB with explicit tags: t-1 ordered and shipped for customer k1 (the shipment
     * also tagged with its order), t-2 ordered for customer k2.
     */
    static void fillTagged(JdbiEventStore store) {
        store.append(List.of(TaggedEvent.of(new ShopEventTypes.Ordered("t-1", 10, "EUR"), CUSTOMER_K1),
                TaggedEvent.of(new ShopEventTypes.Shipped("t-1"), CUSTOMER_K1, Tag.of("order", "t-1"))), null);
        store.append(List.of(TaggedEvent.of(new ShopEventTypes.Ordered("t-2", 20, "USD"),
                Tag.of("customer", "k2"))), null);
    }

    /** {@code count} events over {@code streams} streams, appended a few at a time, all with metadata. */
    static void fillMany(JdbiEventStore store, int count, int streams) {
        int written = 0;
        int round = 0;
        while (written < count) {
            for (int s = 0; s < streams && written < count; s++) {
                int batch = Math.min(1 + (s + round) % 3, count - written);
                StreamRef stream = StreamRef.of("order", "o-" + s);
                List<Object> events = new java.util.ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    events.add(new ShopEventTypes.Ordered("o-" + s, written + i, i % 2 == 0 ? "EUR" : "USD"));
                }
                store.append(stream, ExpectedVersion.any(), events, Metadata.correlatedBy("run-" + round)
                        .with("n", Integer.toString(written)));
                written += batch;
            }
            round++;
        }
    }
}
