package dev.eskit;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells the JDK's unmodifiable collections apart from others at run time, for the state checks that generated
 * deciders run ({@link Decider#checksStates()}): a state's {@code List}, {@code Set} or {@code Map} can be cached
 * when it was built by {@code List.of}, {@code List.copyOf}, {@code Stream.toList()},
 * {@code Collectors.toUnmodifiableList()}, {@code Set.of}, {@code Set.copyOf}, {@code Map.of}, {@code Map.copyOf},
 * {@code Map.ofEntries}, or is {@code Collections.emptyList()} (and its {@code Set} and {@code Map} kin) or a
 * {@code Collections.singleton...}. Nothing else counts, not even {@code Collections.unmodifiableList(list)}: it is a
 * view of a list that its owner can still change.
 *
 * <p>The check compares classes; it reads no field and uses no reflection.
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

    private ImmutableValues() {
    }

    /**
     * Whether {@code collection} is {@code null} or one of the JDK's unmodifiable collections (see the class). Its
     * elements are not looked at: the generated checks call this only where the element type is proven immutable.
     */
    public static boolean isUnmodifiable(Collection<?> collection) {
        return collection == null || UNMODIFIABLE.contains(collection.getClass());
    }

    /** Whether {@code map} is {@code null} or one of the JDK's unmodifiable maps (see the class). */
    public static boolean isUnmodifiable(Map<?, ?> map) {
        return map == null || UNMODIFIABLE_MAPS.contains(map.getClass());
    }
}
