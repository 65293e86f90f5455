package dev.eskit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Tells the JDK's unmodifiable collections apart from others at run time, for the state checks that generated
 * deciders run ({@link Decider#checksStates()}): a state's {@code List}, {@code Set} or {@code Map} can be cached
 * when it was built by {@code List.of}, {@code List.copyOf}, {@code Stream.toList()},
 * {@code Collectors.toUnmodifiableList()}, {@code Set.of}, {@code Set.copyOf}, {@code Map.of}, {@code Map.copyOf},
 * {@code Map.ofEntries}, or is {@code Collections.emptyList()} (and its {@code Set} and {@code Map} kin) or a
 * {@code Collections.singleton...}, or Kotlin's {@code emptyList()}, {@code emptySet()} or {@code emptyMap()}.
 * Nothing else counts, not even {@code Collections.unmodifiableList(list)}: it is a view of a list that its owner can
 * still change.
 *
 * <p>States whose collections are changeable but of a class it knows are cached as private copies instead
 * ({@link Decider#copyState}): {@code ArrayList}, {@code LinkedList}, {@code ArrayDeque}, {@code HashSet},
 * {@code LinkedHashSet}, {@code TreeSet}, {@code HashMap}, {@code LinkedHashMap}, {@code TreeMap} (exactly these
 * classes, not subclasses), {@code Collections.unmodifiableList} views and {@code Arrays.asList} lists (what Kotlin's
 * {@code listOf(a, b)} and {@code sorted()} return). {@link #copy(Collection)} and {@link #copy(Map)} copy them into
 * a new collection of the same class (a {@code TreeSet} or {@code TreeMap} with the same comparator, a view of a new
 * list holding the same elements in the same order, a {@code HashMap} or {@code HashSet} with a table of the size that
 * makes it iterate in the original's order). Other views
 * ({@code unmodifiableSet}, {@code unmodifiableMap}, {@code unmodifiableCollection}) are not copied: what their
 * elements' equality means depends on the collection behind them (a {@code TreeSet}'s comparator, say), which a view
 * does not show.
 *
 * <p>The checks compare classes; they read no field and use no reflection.
 */
public final class ImmutableValues {

    // Set.copyOf: several factories share a class (List.of() and List.of(1, 2, 3) are both ListN).
    private static final Set<Class<?>> UNMODIFIABLE = Set.copyOf(List.of(
            List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).getClass(),
            List.of(1, 2, 3).subList(0, 2).getClass(),
            Set.of().getClass(), Set.of(1).getClass(), Set.of(1, 2, 3).getClass(),
            Collections.emptyList().getClass(), Collections.emptySet().getClass(),
            Collections.singletonList(1).getClass(), Collections.singleton(1).getClass()));
    private static final Set<Class<?>> UNMODIFIABLE_MAPS = Set.copyOf(List.of(
            Map.of().getClass(), Map.of(1, 1).getClass(), Map.of(1, 1, 2, 2).getClass(),
            Collections.emptyMap().getClass(), Collections.singletonMap(1, 1).getClass()));

    private static final Class<?> SINGLETON_LIST = Collections.singletonList(1).getClass();
    private static final Class<?> SINGLETON_MAP = Collections.singletonMap(1, 1).getClass();
    // Arrays.asList, and Kotlin's listOf(a, b) and sorted(): fixed-size, but set(i, x) changes them.
    private static final Class<?> ARRAY_LIST_VIEW = java.util.Arrays.asList().getClass();
    // Exactly these classes are copied (a subclass may hold more than its elements, a LinkedHashMap that evicts, say).
    private static final Class<?> UNMODIFIABLE_RANDOM_ACCESS_LIST =
            Collections.unmodifiableList(new ArrayList<>()).getClass();
    private static final Class<?> UNMODIFIABLE_LIST = Collections.unmodifiableList(new LinkedList<>()).getClass();
    private static final Set<Class<?>> COPYABLE = Set.of(ArrayList.class, LinkedList.class, ArrayDeque.class,
            HashSet.class, LinkedHashSet.class, TreeSet.class, UNMODIFIABLE_RANDOM_ACCESS_LIST, UNMODIFIABLE_LIST,
            ARRAY_LIST_VIEW);
    private static final Set<Class<?>> COPYABLE_MAPS = Set.of(HashMap.class, LinkedHashMap.class, TreeMap.class);

    // Kotlin's emptyList(), emptySet() and emptyMap(): singletons that nothing can change, named so that eskit needs
    // no Kotlin library.
    private static final Set<String> KOTLIN_EMPTY = Set.of("kotlin.collections.EmptyList",
            "kotlin.collections.EmptySet");
    private static final String KOTLIN_EMPTY_MAP = "kotlin.collections.EmptyMap";

    // HashMap's and HashSet's default table size.
    private static final int DEFAULT_CAPACITY = 16;

    private ImmutableValues() {
    }

    /**
     * Whether {@code collection} is {@code null} or one of the JDK's unmodifiable collections (see the class). Its
     * elements are not looked at: the generated checks call this only where the element type is proven immutable.
     */
    public static boolean isUnmodifiable(Collection<?> collection) {
        return collection == null || UNMODIFIABLE.contains(collection.getClass())
                || KOTLIN_EMPTY.contains(collection.getClass().getName());
    }

    /** Whether {@code map} is {@code null} or one of the JDK's unmodifiable maps (see the class). */
    public static boolean isUnmodifiable(Map<?, ?> map) {
        return map == null || UNMODIFIABLE_MAPS.contains(map.getClass())
                || map.getClass().getName().equals(KOTLIN_EMPTY_MAP);
    }

    /**
     * Whether {@link #copy(Collection)} can copy {@code collection}: {@code null}, unmodifiable (see
     * {@link #isUnmodifiable(Collection)}), or of one of the classes it copies (see the class).
     */
    public static boolean isCopyable(Collection<?> collection) {
        return isUnmodifiable(collection) || COPYABLE.contains(collection.getClass());
    }

    /** Whether {@link #copy(Map)} can copy {@code map}: {@code null}, unmodifiable, or of a class it copies. */
    public static boolean isCopyable(Map<?, ?> map) {
        return isUnmodifiable(map) || COPYABLE_MAPS.contains(map.getClass());
    }

    /** {@link #copy(Collection)} for a {@code List}. */
    public static <T> List<T> copy(List<T> list) {
        return (List<T>) copy((Collection<T>) list);
    }

    /** {@link #copy(Collection)} for a {@code Set}. */
    public static <T> Set<T> copy(Set<T> set) {
        return (Set<T>) copy((Collection<T>) set);
    }

    /**
     * A new collection of the same class holding the same elements in the same order (the elements themselves are
     * not copied: the generated code calls this only where their type is proven immutable), so that changing one
     * never changes the other; {@code null} and unmodifiable collections as they are.
     *
     * @throws IllegalArgumentException when {@link #isCopyable(Collection)} is false
     */
    public static <T> Collection<T> copy(Collection<T> collection) {
        if (isUnmodifiable(collection)) {
            return collection;
        }
        Class<?> type = collection.getClass();
        List<T> list = collection instanceof List ? listLike(type, new ArrayList<>(collection)) : null;
        if (list != null) {
            return list;
        } else if (type == HashSet.class) {
            return sameOrderHashSet((HashSet<T>) collection);
        } else if (type == LinkedHashSet.class) {
            return new LinkedHashSet<>(collection);
        } else if (type == TreeSet.class) {
            return new TreeSet<>((SortedSet<T>) collection);
        } else if (type == ArrayDeque.class) {
            return new ArrayDeque<>(collection);
        }
        throw notCopyable(type);
    }

    /**
     * {@code elements} as a list of the copyable list class {@code type} ({@code elements} itself for an
     * {@code ArrayList}), or {@code null} when {@code type} is no such list class.
     */
    private static <T> List<T> listLike(Class<?> type, ArrayList<T> elements) {
        if (type == ArrayList.class) {
            return elements;
        } else if (type == LinkedList.class) {
            return new LinkedList<>(elements);
        } else if (type == UNMODIFIABLE_RANDOM_ACCESS_LIST) {
            return Collections.unmodifiableList(elements);
        } else if (type == UNMODIFIABLE_LIST) {
            return Collections.unmodifiableList(new LinkedList<>(elements));
        } else if (type == ARRAY_LIST_VIEW) {
            @SuppressWarnings("unchecked")
            T[] array = (T[]) elements.toArray();
            return java.util.Arrays.asList(array);
        }
        return null;
    }

    private static IllegalArgumentException notCopyable(Class<?> type) {
        return new IllegalArgumentException("Cannot copy a " + type.getName() + ": copy only what isCopyable"
                + " accepts.");
    }

    /**
     * A new map of the same class holding the same entries in the same order (keys and values not copied);
     * {@code null} and unmodifiable maps as they are.
     *
     * @throws IllegalArgumentException when {@link #isCopyable(Map)} is false
     */
    public static <K, V> Map<K, V> copy(Map<K, V> map) {
        return isUnmodifiable(map) ? map : copyValues(map, UnaryOperator.identity());
    }

    /**
     * A {@code HashMap} holding {@code map}'s entries that iterates in the same order. A hash map's order depends on
     * its table's size, which {@code new HashMap<>(map)} chooses from the size alone; so the entries are put one by
     * one, as the original's were, into tables of growing initial size until the copy iterates as the original does
     * (the first try matches any map that only grew with the default load factor). After a few sizes it gives up
     * and returns the last try, the same entries in another order: a map shrunk from a much larger size, or built
     * with a load factor of its own.
     */
    private static <K, V> HashMap<K, V> sameOrderHashMap(HashMap<K, V> map, UnaryOperator<V> values) {
        HashMap<K, V> first = null;
        HashMap<K, V> copy = null;
        for (int capacity : tableSizes(map.size())) {
            copy = new HashMap<>(capacity);
            for (Map.Entry<K, V> entry : map.entrySet()) {
                // Each value is copied once, in the first try; later tries take the first try's copies.
                copy.put(entry.getKey(), first == null ? values.apply(entry.getValue()) : first.get(entry.getKey()));
            }
            if (sameOrder(map.keySet(), copy.keySet())) {
                return copy;
            }
            first = first == null ? copy : first;
        }
        return copy;
    }

    /** {@link #sameOrderHashMap} for a {@code HashSet}. */
    private static <T> HashSet<T> sameOrderHashSet(HashSet<T> set) {
        HashSet<T> copy = null;
        for (int capacity : tableSizes(set.size())) {
            copy = new HashSet<>(capacity);
            for (T element : set) {
                copy.add(element);
            }
            if (sameOrder(set, copy)) {
                return copy;
            }
        }
        return copy;
    }

    /**
     * The initial table sizes to try for {@code size} entries: first the default (whose table grows, as a map filled
     * by {@code put} did, to the size those entries need), then every other size they fit in, from the smallest
     * (what {@code new HashMap<>(map)} chooses) up to four times the grown one and at least 256 (a map that held more
     * entries once keeps its larger table).
     */
    private static int[] tableSizes(int size) {
        int minimal = 1;
        while (size > minimal * 0.75f && minimal < (1 << 28)) {
            minimal <<= 1;
        }
        int grown = Math.max(DEFAULT_CAPACITY, minimal);
        int limit = Math.max(256, grown * 4);
        int[] sizes = new int[1 + Integer.numberOfTrailingZeros(limit) - Integer.numberOfTrailingZeros(minimal)];
        sizes[0] = grown;
        int i = 1;
        for (int capacity = minimal; capacity <= limit; capacity <<= 1) {
            if (capacity != grown) {
                sizes[i++] = capacity;
            }
        }
        return sizes;
    }

    /**
     * Whether every element of {@code list} passes {@code test} ({@code true} for {@code null}): for a list whose
     * elements have checks of their own.
     */
    public static <T> boolean allMatch(List<T> list, Predicate<? super T> test) {
        if (list != null) {
            for (T element : list) {
                if (!test.test(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether every value of {@code map} passes {@code test} ({@code true} for {@code null}). */
    public static <V> boolean allValuesMatch(Map<?, V> map, Predicate<? super V> test) {
        if (map != null) {
            for (V value : map.values()) {
                if (!test.test(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A new list like {@code list} (see {@link #copy(Collection)}) whose elements are {@code elements}' copies of
     * the original's, in the same order: for a list whose elements hold changeable collections of their own. An
     * unmodifiable list is copied too (into an unmodifiable list), since its elements are; {@code null} as it is.
     *
     * @throws IllegalArgumentException when {@link #isCopyable(Collection)} is false
     */
    public static <T> List<T> copy(List<T> list, UnaryOperator<T> elements) {
        if (list == null || list.isEmpty() && isUnmodifiable(list)) {
            return list;
        }
        Class<?> type = list.getClass();
        if (type == SINGLETON_LIST) {
            return Collections.singletonList(elements.apply(list.get(0)));
        } else if (isUnmodifiable(list)) {
            return list.stream().map(elements).toList();
        }
        ArrayList<T> copied = new ArrayList<>(list.size());
        for (T element : list) {
            copied.add(elements.apply(element));
        }
        List<T> copy = listLike(type, copied);
        if (copy == null) {
            throw notCopyable(type);
        }
        return copy;
    }

    /**
     * A new map like {@code map} (see {@link #copy(Map)}) whose values are {@code values}' copies of the
     * original's, under the same keys and in the same order; an unmodifiable map is copied too (into an unmodifiable
     * map), {@code null} as it is.
     *
     * @throws IllegalArgumentException when {@link #isCopyable(Map)} is false
     */
    public static <K, V> Map<K, V> copyValues(Map<K, V> map, UnaryOperator<V> values) {
        if (map == null || map.isEmpty() && isUnmodifiable(map)) {
            return map;
        }
        Class<?> type = map.getClass();
        if (type == SINGLETON_MAP) {
            Map.Entry<K, V> entry = map.entrySet().iterator().next();
            return Collections.singletonMap(entry.getKey(), values.apply(entry.getValue()));
        } else if (type == HashMap.class) {
            return sameOrderHashMap((HashMap<K, V>) map, values);
        } else if (type != LinkedHashMap.class && type != TreeMap.class && !isUnmodifiable(map)) {
            throw notCopyable(type);
        }
        Map<K, V> copied = type == TreeMap.class ? new TreeMap<>(((SortedMap<K, V>) map).comparator())
                : new LinkedHashMap<>();
        for (Map.Entry<K, V> entry : map.entrySet()) {
            copied.put(entry.getKey(), values.apply(entry.getValue()));
        }
        // Map.of and its kin hold no null values, so neither do their copies.
        return isUnmodifiable(map) ? Map.copyOf(copied) : copied;
    }

    /** Whether a copy, which holds the same objects as the original, iterates over them in the same order. */
    private static boolean sameOrder(Collection<?> original, Collection<?> copy) {
        java.util.Iterator<?> b = copy.iterator();
        for (Object element : original) {
            if (element != b.next()) {
                return false;
            }
        }
        return true;
    }
}
