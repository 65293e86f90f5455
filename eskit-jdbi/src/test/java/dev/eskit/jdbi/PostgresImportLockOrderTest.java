package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.testkit.dcb.DcbTestEvents;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An import takes its locks in the appends' order (every stream lock sorted by key, then the boundary keys, then the
 * horizon lock), all before its first insert: so it can never deadlock a group of appends, a DCB append or another
 * import that takes the same locks in that order.
 */
class PostgresImportLockOrderTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Test
    void whileWaitingForAStreamLockAnImportHoldsOnlyTheStreamLocksBeforeIt() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.track(location.builder(JsonEventCodec.create(DcbTestEvents.types())).build());
        PostgresDialect dialect = new PostgresDialect(store.tableNames());
        List<StreamRef> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(StreamRef.of("account", "import-" + i));
        }
        // The stream with the largest key is held elsewhere: the import must already hold the two smaller ones, and
        // neither a boundary key nor the horizon lock (both come after every stream lock).
        streams.sort(Comparator.comparingInt(s -> dialect.streamLockKey(s)[1]));
        StreamRef last = streams.get(2);
        List<RawEvent> events = new ArrayList<>();
        // In an order that is not the key order: the locks must be sorted, not taken run by run.
        for (StreamRef stream : List.of(last, streams.get(0), streams.get(1))) {
            events.add(new RawEvent(UUID.randomUUID(), stream, 1, "test.Deposited", 1, Position.START,
                    Instant.parse("2026-01-01T00:00:00Z"), null, "{}".getBytes(StandardCharsets.UTF_8)));
        }
        int space = dialect.lockSpace();
        CompletableFuture<Integer> importing;
        try (Connection holder = location.rawConnection()) {
            AdvisoryLocks.lock(holder, space, dialect.streamLockKey(last)[1]);
            importing = CompletableFuture.supplyAsync(() -> store.raw().importEvents(events));
            int pid = AdvisoryLocks.awaitWaiter(holder, space & 0xffffffffL,
                    dialect.streamLockKey(last)[1] & 0xffffffffL, 2);
            List<List<Long>> held = AdvisoryLocks.held(holder, pid);
            List<List<Long>> expected = new ArrayList<>();
            for (StreamRef stream : streams.subList(0, 2)) {
                expected.add(List.of(space & 0xffffffffL, dialect.streamLockKey(stream)[1] & 0xffffffffL, 2L));
            }
            expected.sort(Comparator.comparing((List<Long> l) -> l.get(0)).thenComparing(l -> l.get(1)));
            assertEquals(expected, held, "only the stream locks before the awaited one, no key and no horizon lock");
        }
        assertEquals(3, importing.get(30, TimeUnit.SECONDS));
        for (StreamRef stream : streams) {
            assertEquals(1, store.raw().load(stream, 1, 10).size(), stream::toString);
        }
    }

    @Test
    void importsOfOverlappingStreamsInOppositeOrdersAllComplete() throws Exception {
        JdbiEventStore store = DB.track(DB.newLocation().builder(JsonEventCodec.create(DcbTestEvents.types()))
                .build());
        int rounds = 40;
        List<CompletableFuture<Integer>> imports = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            StreamRef a = StreamRef.of("account", "a-" + round);
            StreamRef b = StreamRef.of("account", "b-" + round);
            // Two imports of the same two streams, listed in opposite orders; one of them finds the other's events.
            imports.add(CompletableFuture.supplyAsync(() -> store.raw().importEvents(List.of(raw(a), raw(b)))));
            imports.add(CompletableFuture.supplyAsync(() -> store.raw().importEvents(List.of(raw(b), raw(a)))));
        }
        int written = 0;
        for (CompletableFuture<Integer> future : imports) {
            try {
                written += future.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // The loser of a race sees the winner's different event at version 1: a conflict, never a deadlock.
                assertTrue(e.getCause() instanceof ImportConflictException, () -> "not a deadlock: " + e.getCause());
            }
        }
        assertTrue(written >= 2 * rounds, "every stream imported once: " + written);
        for (int round = 0; round < rounds; round++) {
            assertEquals(1, store.raw().load(StreamRef.of("account", "a-" + round), 1, 10).size());
            assertEquals(1, store.raw().load(StreamRef.of("account", "b-" + round), 1, 10).size());
        }
    }

    private static RawEvent raw(StreamRef stream) {
        return new RawEvent(UUID.randomUUID(), stream, 1, "test.Deposited", 1, Position.START,
                Instant.parse("2026-01-01T00:00:00Z"), null, "{}".getBytes(StandardCharsets.UTF_8));
    }
}
