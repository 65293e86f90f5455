package dev.eskit.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookedEventStoreTest {

    private static final StreamRef T1 = StreamRef.of("tally", "t-1");
    private final EventStore inner = EventStore.inMemory(Tally.TYPES);

    @Test
    void aRejectingBeforeHookStopsTheAppendAndNothingIsWritten() {
        EventStore store = HookedEventStore.builder(inner)
                .before(request -> {
                    throw new AppendRejectedException("no appends to " + request.stream());
                })
                .build();
        AppendRejectedException e = assertThrows(AppendRejectedException.class,
                () -> store.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(1))));
        assertEquals("no appends to tally/t-1", e.getMessage());
        assertEquals(0, inner.streamVersion(T1));
        assertTrue(inner.readAll(Position.START, 10).isEmpty());
    }

    @Test
    void aBeforeHookThatFailsUnexpectedlyAlsoRejectsWithTheCauseAttached() {
        IllegalStateException bug = new IllegalStateException("bug");
        EventStore store = HookedEventStore.builder(inner).before(request -> {
            throw bug;
        }).build();
        AppendRejectedException e = assertThrows(AppendRejectedException.class,
                () -> store.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(1))));
        assertSame(bug, e.getCause());
        assertEquals(0, inner.streamVersion(T1));
    }

    @Test
    void laterBeforeHooksDoNotRunAfterARejection() {
        List<String> ran = new ArrayList<>();
        EventStore store = HookedEventStore.builder(inner)
                .before(request -> ran.add("first"))
                .before(request -> {
                    throw new AppendRejectedException("second says no");
                })
                .before(request -> ran.add("third"))
                .build();
        assertThrows(AppendRejectedException.class,
                () -> store.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(1))));
        assertEquals(List.of("first"), ran);
    }

    @Test
    void aFailingAfterHookNeitherBreaksTheAppendNorStopsLaterHooks() {
        List<AppendResult> seen = new ArrayList<>();
        EventStore store = HookedEventStore.builder(inner)
                .after((request, result) -> {
                    throw new IllegalStateException("observer down");
                })
                .after((request, result) -> seen.add(result))
                .build();
        AppendResult result = store.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(1)));
        assertEquals(1, result.streamVersion());
        assertEquals(1, inner.streamVersion(T1));
        assertEquals(List.of(result), seen);
    }

    @Test
    void afterHooksDoNotRunWhenTheStoreRejectsTheAppend() {
        List<AppendResult> seen = new ArrayList<>();
        EventStore store = HookedEventStore.builder(inner).after((request, result) -> seen.add(result)).build();
        store.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(1)));
        assertThrows(dev.eskit.ConcurrencyException.class,
                () -> store.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(2))));
        assertEquals(1, seen.size());
        assertEquals(1, inner.streamVersion(T1));
    }

    @Test
    void readsPassThroughToTheWrappedStore() {
        EventStore store = HookedEventStore.builder(inner).build();
        inner.append(T1, ExpectedVersion.noStream(), List.of(new Tally.Added(1), new Tally.Added(2)));
        assertEquals(2, store.streamVersion(T1));
        assertEquals(new Tally.Added(2), store.load(T1, 2).get(0).data());
        assertEquals(2, store.readAll(Position.START, 10).size());
    }
}
