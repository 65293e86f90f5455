package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * states it finds immutable as they are, private copies of those it can copy ({@link Decider#copyState}) and nothing
 * else; asked for a cache, the handler caches every state as it is.
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

    /**
     * A cart decider whose evolve adds to its state's list in place and returns the same state, as hand-written Java
     * aggregates do; checked and copied as a generated decider is.
     */
    private static Decider<Cart, Add, Added> inPlace() {
        Decider<Cart, Add, Added> plain = Decider.of(() -> new Cart(new ArrayList<>()),
                (Cart cart, Add add) -> List.of(new Added(add.item())),
                (Cart cart, Added added) -> {
                    cart.items().add(added.item());
                    return cart;
                });
        return SayingDecider.copied(plain, state -> state == null || ImmutableValues.isUnmodifiable(state.items()),
                state -> ImmutableValues.isCopyable(state.items()) ? new Cart(ImmutableValues.copy(state.items()))
                        : null);
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
    void changeableStatesAreCachedAsPrivateCopies() {
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, inPlace(), "cart").build();
        Cart afterFirst = handler.handle("c-1", new Add("c-1", "i0")).state();
        Cart afterSecond = handler.handle("c-1", new Add("c-1", "i1")).state();
        Cart afterThird = handler.handle("c-1", new Add("c-1", "i2")).state();
        assertEquals(List.of("i0"), afterFirst.items(), "a caller's state is not changed by later commands");
        assertEquals(List.of("i0", "i1"), afterSecond.items());
        assertEquals(List.of("i0", "i1", "i2"), afterThird.items());
        StateCacheStats stats = handler.stateCache().orElseThrow();
        assertEquals(1, stats.streams());
        assertEquals(2, stats.hits(), "the second and third commands were decided on copies of the cached state");
        afterThird.items().add("changed by the caller");
        assertEquals(List.of("i0", "i1", "i2", "i3"), handler.handle("c-1", new Add("c-1", "i3")).state().items(),
                "nor is the cache changed by a caller");
        assertEquals(List.of("i0", "i1", "i2", "i3", "i4"), CommandHandler.builder(store, inPlace(), "cart")
                .cacheStates(0).build().handle("c-1", new Add("c-1", "i4")).state().items(), "as folded afresh");
    }

    @Test
    void aLoadThatAppendsNothingCachesACopyToo() {
        // A command decided to nothing is read from the store first; the state it loaded is cached as a copy.
        Decider<Cart, Add, Added> plain = Decider.of(() -> new Cart(new ArrayList<>()),
                (Cart cart, Add add) -> cart.items().contains(add.item()) ? List.of() : List.of(new Added(add.item())),
                (Cart cart, Added added) -> {
                    cart.items().add(added.item());
                    return cart;
                });
        Decider<Cart, Add, Added> copied = SayingDecider.copied(plain,
                state -> ImmutableValues.isUnmodifiable(state.items()),
                state -> new Cart(ImmutableValues.copy(state.items())));
        CommandHandler.builder(store, copied, "cart").cacheStates(0).build().handle("c-1", new Add("c-1", "i0"));
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, copied, "cart").build();
        CommandResult<Cart, Added> nothing = handler.handle("c-1", new Add("c-1", "i0"));
        assertTrue(nothing.events().isEmpty());
        assertEquals(1, handler.stateCache().orElseThrow().streams(), "the loaded state is cached");
        nothing.state().items().add("changed by the caller");
        assertEquals(List.of("i0", "i1"), handler.handle("c-1", new Add("c-1", "i1")).state().items(),
                "decided on the cached copy, which the caller's change did not reach");
        assertEquals(1, handler.stateCache().orElseThrow().hits());
    }

    @Test
    void aChangeableStateThatCannotBeCopiedIsNotCached() {
        Decider<Cart, Add, Added> plain = Decider.of(() -> new Cart(new java.util.Vector<>()),
                (Cart cart, Add add) -> {
                    if (cart.items().contains(add.item())) {
                        throw new IllegalStateException("already in the cart: " + add.item());
                    }
                    return List.of(new Added(add.item()));
                },
                (Cart cart, Added added) -> {
                    cart.items().add(added.item());
                    return cart;
                });
        Decider<Cart, Add, Added> vectors = SayingDecider.copied(plain,
                state -> ImmutableValues.isUnmodifiable(state.items()),
                state -> ImmutableValues.isCopyable(state.items()) ? new Cart(ImmutableValues.copy(state.items()))
                        : null);
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, vectors, "cart").build();
        assertEquals(List.of("i0", "i1", "i2"), items(handler, "c-1", 3));
        StateCacheStats stats = handler.stateCache().orElseThrow();
        assertEquals(0, stats.streams());
        assertEquals(3, stats.misses());
        assertThrows(IllegalStateException.class, () -> handler.handle("c-1", new Add("c-1", "i1")));
        assertEquals(0, handler.stateCache().orElseThrow().streams(), "nor after a load that appended nothing");
    }

    @Test
    void aCachedStateThatCannotBeCopiedAgainIsReadFromTheStore() {
        // A copier that copies once and then refuses: the cached copy cannot be handed out, so each later command
        // folds its stream as without a cache, and the entry is dropped.
        int[] copies = {0};
        Decider<Cart, Add, Added> plain = Decider.of(() -> new Cart(new ArrayList<>()),
                (Cart cart, Add add) -> List.of(new Added(add.item())),
                (Cart cart, Added added) -> {
                    cart.items().add(added.item());
                    return cart;
                });
        Decider<Cart, Add, Added> once = SayingDecider.copied(plain,
                state -> ImmutableValues.isUnmodifiable(state.items()),
                state -> copies[0]++ == 0 ? new Cart(ImmutableValues.copy(state.items())) : null);
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, once, "cart").build();
        assertEquals(List.of("i0"), handler.handle("c-1", new Add("c-1", "i0")).state().items());
        assertEquals(1, handler.stateCache().orElseThrow().streams(), "the first state was copied into the cache");
        assertEquals(List.of("i0", "i1"), handler.handle("c-1", new Add("c-1", "i1")).state().items());
        assertEquals(List.of("i0", "i1", "i2"), handler.handle("c-1", new Add("c-1", "i2")).state().items());
        StateCacheStats stats = handler.stateCache().orElseThrow();
        assertEquals(0, stats.streams());
        assertEquals(0, stats.hits(), "nothing could be handed out");
    }

    @Test
    void statesChangedInPlaceStayRightUnderConcurrentCommands() throws Exception {
        CommandHandler<Cart, Add, Added> handler = CommandHandler.builder(store, inPlace(), "cart")
                .retry(dev.eskit.Retry.attempts(100)).build();
        int threads = 8;
        int commands = 150;
        Hammer.run(threads, thread -> {
            for (int i = 0; i < commands; i++) {
                String cart = "c-" + ((thread + i) % 3);
                String item = thread + "-" + i;
                CommandResult<Cart, Added> result = handler.handle(cart, new Add(cart, item));
                List<String> items = result.state().items();
                assertEquals(result.version(), items.size(), "one item per event, none from another command");
                assertEquals(item, items.get(items.size() - 1));
            }
        });
        int total = 0;
        CommandHandler<Cart, Add, Added> fresh = CommandHandler.builder(store, inPlace(), "cart").cacheStates(0)
                .build();
        for (int c = 0; c < 3; c++) {
            String cart = "c-" + c;
            List<String> folded = fresh.handle(cart, new Add(cart, "last")).state().items();
            assertEquals("last", folded.get(folded.size() - 1));
            assertEquals(folded.size(), Set.copyOf(folded).size(), "no item twice");
            total += folded.size() - 1;
        }
        assertEquals(threads * commands, total);
        assertTrue(handler.stateCache().orElseThrow().hits() > 0, "the cache was used");
    }

    @Test
    void changeableCollectionsOfKnownClassesAreCopied() {
        List<String> list = new ArrayList<>(List.of("b", "a"));
        List<String> copy = ImmutableValues.copy(list);
        assertEquals(list, copy);
        assertNotSame(list, copy);
        assertEquals(ArrayList.class, copy.getClass());
        for (java.util.Collection<String> changeable : List.<java.util.Collection<String>>of(
                new java.util.LinkedList<>(list), new java.util.ArrayDeque<>(list), new java.util.HashSet<>(list),
                new java.util.LinkedHashSet<>(list), Collections.unmodifiableList(new ArrayList<>(list)),
                java.util.Arrays.asList("b", "a"),
                Collections.unmodifiableList(new java.util.LinkedList<>(list)))) {
            assertTrue(ImmutableValues.isCopyable(changeable), changeable.getClass().getName());
            java.util.Collection<String> copied = ImmutableValues.copy(changeable);
            assertNotSame(changeable, copied);
            assertEquals(changeable.getClass(), copied.getClass());
            assertEquals(new ArrayList<>(changeable), new ArrayList<>(copied), "same elements, same order");
        }
        java.util.TreeSet<String> sorted = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        sorted.addAll(List.of("B", "a"));
        Set<String> sortedCopy = ImmutableValues.copy(sorted);
        assertNotSame(sorted, sortedCopy);
        assertTrue(sortedCopy.contains("b"), "the comparator is kept");
        java.util.TreeMap<String, Integer> tree = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        tree.put("K", 1);
        Map<String, Integer> treeCopy = ImmutableValues.copy(tree);
        assertEquals(1, treeCopy.get("k"), "the comparator is kept");
        assertEquals(java.util.TreeMap.class, treeCopy.getClass());
        for (Map<String, Integer> changeable : List.<Map<String, Integer>>of(new java.util.HashMap<>(Map.of("a", 1)),
                new java.util.LinkedHashMap<>(Map.of("a", 1)))) {
            assertTrue(ImmutableValues.isCopyable(changeable));
            Map<String, Integer> copied = ImmutableValues.copy(changeable);
            assertNotSame(changeable, copied);
            assertEquals(changeable, copied);
            assertEquals(changeable.getClass(), copied.getClass());
        }
        List<String> unmodifiable = List.of("a");
        assertSame(unmodifiable, ImmutableValues.copy(unmodifiable), "nothing to copy");
        Map<String, Integer> unmodifiableMap = Map.of("a", 1);
        assertSame(unmodifiableMap, ImmutableValues.copy(unmodifiableMap));
        assertNull(ImmutableValues.copy((List<String>) null));
        assertNull(ImmutableValues.copy((Map<String, String>) null));
        assertTrue(ImmutableValues.isCopyable((List<String>) null));
        assertTrue(ImmutableValues.isCopyable(List.of("a")));
        assertTrue(ImmutableValues.isCopyable(Map.of()));
    }

    @Test
    void aCopiedHashMapOrHashSetIteratesInTheOriginalsOrder() {
        java.util.Random random = new java.util.Random(16);
        for (int size = 0; size < 400; size++) {
            java.util.HashMap<String, Integer> grown = new java.util.HashMap<>();
            java.util.HashSet<String> set = new java.util.HashSet<>();
            for (int i = 0; i < size; i++) {
                String key = Long.toString(random.nextLong(), 36);
                grown.put(key, i);
                set.add(key);
            }
            assertSameOrder(grown.keySet(), ImmutableValues.copy(grown).keySet(), "grown to " + size);
            assertSameOrder(set, ImmutableValues.copy(set), "a set grown to " + size);
            // As an evolve that copies before it adds builds them: new HashMap<>(old) sizes its table otherwise.
            java.util.HashMap<String, Integer> copied = new java.util.HashMap<>(grown);
            assertSameOrder(copied.keySet(), ImmutableValues.copy(copied).keySet(), "copied at " + size);
        }
        java.util.HashMap<String, Integer> shrunk = new java.util.HashMap<>();
        for (int i = 0; i < 150; i++) {
            shrunk.put("key-" + i, i);
        }
        shrunk.keySet().removeIf(key -> !key.endsWith("7"));
        assertEquals(15, shrunk.size());
        Map<String, Integer> shrunkCopy = ImmutableValues.copy(shrunk);
        assertSameOrder(shrunk.keySet(), shrunkCopy.keySet(), "a map that held 150 entries and keeps 15");
        assertEquals(shrunk, shrunkCopy);
        // A load factor of its own: the copy holds the same entries, whatever their order.
        java.util.HashMap<String, Integer> dense = new java.util.HashMap<>(16, 4.0f);
        for (int i = 0; i < 60; i++) {
            dense.put("k" + i, i);
        }
        assertEquals(dense, ImmutableValues.copy(dense));
        assertNotSame(dense, ImmutableValues.copy(dense));
        java.util.HashSet<String> denseSet = new java.util.HashSet<>(16, 4.0f);
        denseSet.addAll(dense.keySet());
        assertEquals(denseSet, ImmutableValues.copy(denseSet));
        assertNotSame(denseSet, ImmutableValues.copy(denseSet));
    }

    private static void assertSameOrder(java.util.Collection<String> original, java.util.Collection<String> copy,
                                        String what) {
        assertNotSame(original, copy, what);
        assertEquals(new ArrayList<>(original), new ArrayList<>(copy), what);
    }

    @Test
    void listsAndMapsAreCopiedWithTheirElementsCopied() {
        java.util.function.UnaryOperator<String> mark = element -> element + "'";
        for (List<String> list : List.<List<String>>of(new ArrayList<>(List.of("b", "a")),
                new java.util.LinkedList<>(List.of("b", "a")), java.util.Arrays.asList("b", "a"),
                Collections.unmodifiableList(new ArrayList<>(List.of("b", "a"))),
                Collections.unmodifiableList(new java.util.LinkedList<>(List.of("b", "a"))))) {
            List<String> copy = ImmutableValues.copy(list, mark);
            assertEquals(List.of("b'", "a'"), copy, list.getClass().getName());
            assertEquals(list.getClass(), copy.getClass());
        }
        List<String> unmodifiable = ImmutableValues.copy(List.of("b", "a"), mark);
        assertEquals(List.of("b'", "a'"), unmodifiable);
        assertTrue(ImmutableValues.isUnmodifiable(unmodifiable), "an unmodifiable list's copy is unmodifiable");
        List<String> single = ImmutableValues.copy(Collections.singletonList("a"), mark);
        assertEquals(List.of("a'"), single);
        assertTrue(ImmutableValues.isUnmodifiable(single));
        List<String> empty = List.of();
        assertSame(empty, ImmutableValues.copy(empty, mark));
        assertNull(ImmutableValues.copy((List<String>) null, mark));
        assertThrows(IllegalArgumentException.class,
                () -> ImmutableValues.copy(new java.util.Vector<>(List.of("a")), mark));

        java.util.HashMap<String, String> hash = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            hash.put("k" + i, "v" + i);
        }
        Map<String, String> hashCopy = ImmutableValues.copyValues(hash, mark);
        assertEquals(new ArrayList<>(hash.keySet()), new ArrayList<>(hashCopy.keySet()), "in the same order");
        assertEquals("v7'", hashCopy.get("k7"));
        assertEquals(java.util.HashMap.class, hashCopy.getClass());
        java.util.TreeMap<String, String> tree = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        tree.put("K", "v");
        Map<String, String> treeCopy = ImmutableValues.copyValues(tree, mark);
        assertEquals("v'", treeCopy.get("k"), "the comparator is kept");
        assertEquals(java.util.TreeMap.class, treeCopy.getClass());
        java.util.LinkedHashMap<String, String> linked = new java.util.LinkedHashMap<>();
        linked.put("b", "1");
        linked.put("a", "2");
        Map<String, String> linkedCopy = ImmutableValues.copyValues(linked, mark);
        assertEquals(List.of("b", "a"), new ArrayList<>(linkedCopy.keySet()));
        assertEquals(java.util.LinkedHashMap.class, linkedCopy.getClass());
        Map<String, String> unmodifiableMap = ImmutableValues.copyValues(Map.of("a", "1", "b", "2"), mark);
        assertEquals(Map.of("a", "1'", "b", "2'"), unmodifiableMap);
        assertTrue(ImmutableValues.isUnmodifiable(unmodifiableMap));
        Map<String, String> singleMap = ImmutableValues.copyValues(Collections.singletonMap("a", "1"), mark);
        assertEquals(Map.of("a", "1'"), singleMap);
        assertTrue(ImmutableValues.isUnmodifiable(singleMap));
        Map<String, String> emptyMap = Map.of();
        assertSame(emptyMap, ImmutableValues.copyValues(emptyMap, mark));
        assertNull(ImmutableValues.copyValues((Map<String, String>) null, mark));
        assertThrows(IllegalArgumentException.class, () -> ImmutableValues.copyValues(
                new java.util.concurrent.ConcurrentHashMap<>(Map.of("a", "1")), mark));

        assertTrue(ImmutableValues.allMatch((List<String>) null, element -> false));
        assertTrue(ImmutableValues.allMatch(List.of("a", "b"), element -> element.length() == 1));
        assertFalse(ImmutableValues.allMatch(List.of("a", "bb"), element -> element.length() == 1));
        assertTrue(ImmutableValues.allValuesMatch((Map<String, String>) null, element -> false));
        assertTrue(ImmutableValues.allValuesMatch(Map.of("k", "a"), element -> element.length() == 1));
        assertFalse(ImmutableValues.allValuesMatch(Map.of("k", "a", "l", "bb"), element -> element.length() == 1));
    }

    @Test
    void otherCollectionsAreNotCopied() {
        for (java.util.Collection<String> other : List.<java.util.Collection<String>>of(
                new java.util.Vector<>(List.of("a")), new java.util.concurrent.CopyOnWriteArrayList<>(List.of("a")),
                Collections.unmodifiableSet(new java.util.TreeSet<>(Set.of("a"))),
                Collections.unmodifiableCollection(new ArrayList<>(List.of("a"))),
                new ArrayList<>(List.of("a")) { })) {
            assertFalse(ImmutableValues.isCopyable(other), other.getClass().getName());
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> ImmutableValues.copy(other));
            assertTrue(thrown.getMessage().contains(other.getClass().getName()), thrown.getMessage());
        }
        Map<String, Integer> evicting = new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > 2;
            }
        };
        for (Map<String, Integer> other : List.of(evicting, new java.util.concurrent.ConcurrentHashMap<String, Integer>(),
                Collections.unmodifiableMap(new java.util.HashMap<String, Integer>()))) {
            assertFalse(ImmutableValues.isCopyable(other), other.getClass().getName());
            assertThrows(IllegalArgumentException.class, () -> ImmutableValues.copy(other));
        }
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
