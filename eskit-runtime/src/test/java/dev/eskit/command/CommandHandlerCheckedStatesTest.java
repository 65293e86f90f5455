package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.ImmutableValues;
import dev.eskit.codec.EventTypes;
import dev.eskit.store.InMemoryEventStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A decider that checks its states at run time ({@link Decider#checksStates()}): by default its handler caches the
 * states it finds immutable and only those; asked for a cache, the handler caches every state.
 */
class CommandHandlerCheckedStatesTest {

    record Add(String cart, String item) {
    }

    record Added(String item) {
    }

    record Cart(List<String> items) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("cart.Added", Added.class).build();

    /** A cart decider whose evolve builds the next list with {@code grow}; checked as a generated decider is. */
    private static Decider<Cart, Add, Added> decider(BiFunction<List<String>, String, List<String>> grow) {
        Decider<Cart, Add, Added> plain = Decider.of(() -> new Cart(List.of()),
                (Cart cart, Add add) -> List.of(new Added(add.item())),
                (Cart cart, Added added) -> new Cart(grow.apply(cart.items(), added.item())));
        return SayingDecider.checked(plain, state -> state == null || ImmutableValues.isUnmodifiable(state.items()));
    }

    private static List<String> copied(List<String> items, String item) {
        return Stream.concat(items.stream(), Stream.of(item)).toList();
    }

    private static List<String> grown(List<String> items, String item) {
        List<String> next = new ArrayList<>(items);
        next.add(item);
        return next;
    }

    private final InMemoryEventStore store = EventStore.inMemory(TYPES);

    private static List<String> items(CommandHandler<Cart, Add, Added> handler, String cart, int count) {
        List<String> last = List.of();
        for (int i = 0; i < count; i++) {
            last = handler.handle(cart, new Add(cart, "i" + i)).state().items();
        }
        return last;
    }

    @Test
    void unmodifiableStatesAreCachedByDefault() {
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, decider(
                CommandHandlerCheckedStatesTest::copied), "cart").build();
        assertEquals(List.of("i0", "i1", "i2"), items(handler, "c-1", 3));
        StateCacheStats stats = handler.stateCache().orElseThrow();
        assertEquals(CommandHandler.DEFAULT_CACHED_STREAMS, stats.maxStreams());
        assertEquals(1, stats.streams());
        assertEquals(2, stats.hits(), "the second and third commands were decided on the cached state");
    }

    @Test
    void statesHoldingAChangeableListAreNeverCached() {
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, decider(
                CommandHandlerCheckedStatesTest::grown), "cart").build();
        assertEquals(List.of("i0", "i1", "i2"), items(handler, "c-1", 3));
        StateCacheStats stats = handler.stateCache().orElseThrow();
        assertEquals(0, stats.streams());
        assertEquals(0, stats.hits());
        assertEquals(3, stats.misses(), "every command folded its stream");
    }

    @Test
    void askedForACacheTheHandlerCachesEveryStateAsBefore() {
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, decider(
                CommandHandlerCheckedStatesTest::grown), "cart").cacheStates(10).build();
        assertEquals(List.of("i0", "i1", "i2"), items(handler, "c-1", 3));
        assertEquals(1, handler.stateCache().orElseThrow().streams());
        assertTrue(CommandHandler.builder(store, decider(CommandHandlerCheckedStatesTest::copied), "cart")
                .cacheStates(0).build().stateCache().isEmpty(), "cacheStates(0) still turns it off");
    }

    @Test
    void aStateThatBecomesChangeableLeavesTheCache() {
        // Unmodifiable until the third item, then an ArrayList: the cached entry is dropped, not kept stale.
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, decider(
                (items, item) -> items.size() < 2 ? copied(items, item) : grown(items, item)), "cart").build();
        items(handler, "c-1", 2);
        assertEquals(1, handler.stateCache().orElseThrow().streams());
        assertEquals(List.of("i0", "i1", "i2"), handler.handle("c-1", new Add("c-1", "i2")).state().items());
        assertEquals(0, handler.stateCache().orElseThrow().streams());
        assertEquals(List.of("i0", "i1", "i2", "i3"), handler.handle("c-1", new Add("c-1", "i3")).state().items());
    }

    @Test
    void theJdksUnmodifiableCollectionsAreToldApart() {
        assertTrue(ImmutableValues.isUnmodifiable(List.of()));
        assertTrue(ImmutableValues.isUnmodifiable(List.of("a")));
        assertTrue(ImmutableValues.isUnmodifiable(List.of("a", "b", "c")));
        assertTrue(ImmutableValues.isUnmodifiable(List.copyOf(new ArrayList<>(List.of("a", "b")))));
        assertTrue(ImmutableValues.isUnmodifiable(Stream.of("a", "b", "c").toList()));
        assertTrue(ImmutableValues.isUnmodifiable(List.of("a", "b", "c").subList(1, 2)));
        assertTrue(ImmutableValues.isUnmodifiable(Set.copyOf(Set.of(1, 2, 3))));
        assertTrue(ImmutableValues.isUnmodifiable(Collections.emptyList()));
        assertTrue(ImmutableValues.isUnmodifiable(Collections.singleton(1)));
        assertTrue(ImmutableValues.isUnmodifiable((List<String>) null));
        assertTrue(ImmutableValues.isUnmodifiable(Map.of()));
        assertTrue(ImmutableValues.isUnmodifiable(Map.copyOf(new java.util.HashMap<>(Map.of(1, 2, 3, 4)))));
        assertTrue(ImmutableValues.isUnmodifiable(Map.ofEntries(Map.entry(1, 2))));
        assertTrue(ImmutableValues.isUnmodifiable((Map<String, String>) null));
        assertFalse(ImmutableValues.isUnmodifiable(new ArrayList<>(List.of("a"))));
        assertFalse(ImmutableValues.isUnmodifiable(Collections.unmodifiableList(new ArrayList<>(List.of("a")))));
        assertFalse(ImmutableValues.isUnmodifiable(java.util.Arrays.asList("a", "b")));
        assertFalse(ImmutableValues.isUnmodifiable(new java.util.HashSet<>(Set.of(1))));
        assertFalse(ImmutableValues.isUnmodifiable(new java.util.HashMap<>(Map.of(1, 2))));
        assertFalse(ImmutableValues.isUnmodifiable(Collections.unmodifiableMap(new java.util.HashMap<>())));
    }
}
