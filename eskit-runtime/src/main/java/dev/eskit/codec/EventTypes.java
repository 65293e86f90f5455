package dev.eskit.codec;

import dev.eskit.InvalidInputException;
import dev.eskit.UnknownEventTypeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * An immutable index of event types by wire name (and alias) and by class, combined from one or more registries.
 *
 * <pre>{@code
 * EventTypes types = EventTypes.discover();                 // every generated registry on the class path
 * EventTypes manual = EventTypes.builder()                  // or by hand
 *     .add("bank.Deposited", Deposited.class)
 *     .build();
 * }</pre>
 */
public final class EventTypes implements EventTypeRegistry {

    private final List<EventType<?>> types;
    private final Map<String, EventType<?>> byName;
    private final Map<Class<?>, EventType<?>> byClass;
    /**
     * Names (and aliases) by a hash of their length and three characters, for {@link #byName}: the stores pass a new
     * string per row, whose {@code hashCode} a map lookup would compute over every character. A slot two names share
     * holds neither; those go to the map.
     */
    private final String[] quickNames;
    private final EventType<?>[] quickTypes;

    private EventTypes(Collection<EventType<?>> all) {
        List<EventType<?>> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(EventType::name));
        Map<String, EventType<?>> names = new HashMap<>();
        Map<Class<?>, EventType<?>> classes = new HashMap<>();
        for (EventType<?> type : sorted) {
            register(names, type.name(), type);
            for (String alias : type.aliases()) {
                register(names, alias, type);
            }
            EventType<?> previous = classes.putIfAbsent(type.javaType(), type);
            if (previous != null) {
                throw new InvalidInputException("Class " + type.javaType().getName() + " is registered twice, as \""
                        + previous.name() + "\" and as \"" + type.name() + "\". Register each event class once.");
            }
        }
        this.types = Collections.unmodifiableList(sorted);
        this.byName = Map.copyOf(names);
        this.byClass = Map.copyOf(classes);
        int size = Integer.highestOneBit(Math.max(16, names.size() * 4) - 1) << 1;
        this.quickNames = new String[size];
        this.quickTypes = new EventType<?>[size];
        boolean[] shared = new boolean[size];
        for (Map.Entry<String, EventType<?>> entry : names.entrySet()) {
            int slot = quickHash(entry.getKey()) & (size - 1);
            if (quickNames[slot] != null || shared[slot]) {
                shared[slot] = true;
                quickNames[slot] = null;
                quickTypes[slot] = null;
            } else {
                quickNames[slot] = entry.getKey();
                quickTypes[slot] = entry.getValue();
            }
        }
    }

    /** A hash of a wire name that reads four characters whatever its length (wire names are at least one long). */
    private static int quickHash(String name) {
        int length = name.length();
        int hash = length * 0x9E3779B1 + name.charAt(length - 1) * 31 + name.charAt(length >> 1);
        hash = hash * 31 + name.charAt(length * 3 >> 2);
        return hash ^ (hash >>> 16);
    }

    private static void register(Map<String, EventType<?>> names, String name, EventType<?> type) {
        EventType<?> previous = names.putIfAbsent(name, type);
        if (previous != null) {
            throw new InvalidInputException("Wire name \"" + name + "\" is used by both "
                    + previous.javaType().getName() + " and " + type.javaType().getName()
                    + ". Give one of them another name (@Event(name = ...)).");
        }
    }

    /** Combines every {@link EventTypeRegistry} listed under {@code META-INF/services} on the class path. */
    public static EventTypes discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /** Combines every {@link EventTypeRegistry} that {@code loader} can see through {@link ServiceLoader}. */
    public static EventTypes discover(ClassLoader loader) {
        List<EventTypeRegistry> registries = new ArrayList<>();
        for (EventTypeRegistry registry : ServiceLoader.load(EventTypeRegistry.class, loader)) {
            registries.add(registry);
        }
        return of(registries);
    }

    /** Combines registries; fails when two of them claim one name or one class. */
    public static EventTypes of(Collection<? extends EventTypeRegistry> registries) {
        List<EventType<?>> all = new ArrayList<>();
        for (EventTypeRegistry registry : registries) {
            all.addAll(registry.eventTypes());
        }
        return new EventTypes(all);
    }

    /** Combines registries; fails when two of them claim one name or one class. */
    public static EventTypes of(EventTypeRegistry... registries) {
        return of(List.of(registries));
    }

    /** A builder for registering types by hand. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<EventType<?>> eventTypes() {
        return types;
    }

    /** The type registered under {@code name} (or under it as an alias), or {@code null}. */
    public EventType<?> findByName(String name) {
        return byName.get(name);
    }

    /** The type of {@code javaType}, or {@code null}. */
    public EventType<?> findByClass(Class<?> javaType) {
        return byClass.get(javaType);
    }

    /**
     * The type registered under {@code name}.
     *
     * @throws UnknownEventTypeException when no type has that name or alias
     */
    public EventType<?> byName(String name) {
        if (!name.isEmpty()) {
            int slot = quickHash(name) & (quickNames.length - 1);
            String known = quickNames[slot];
            if (known != null && known.equals(name)) {
                return quickTypes[slot];
            }
        }
        EventType<?> type = byName.get(name);
        if (type == null) {
            throw new UnknownEventTypeException("No event type is registered under the wire name \"" + name
                    + "\". Put the jar with its @Event class (and generated registry) on the class path, or register"
                    + " it with EventTypes.builder().add(...)." + suggest(name));
        }
        return type;
    }

    /**
     * The type of an event object.
     *
     * @throws UnknownEventTypeException when the class is not registered
     */
    public EventType<?> byClass(Class<?> javaType) {
        EventType<?> type = byClass.get(javaType);
        if (type == null) {
            throw new UnknownEventTypeException("Class " + javaType.getName() + " is not a registered event type."
                    + " Annotate it with @Event and compile with the eskit processor, or register it with"
                    + " EventTypes.builder().add(name, " + javaType.getSimpleName() + ".class).");
        }
        return type;
    }

    private String suggest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : byName.keySet()) {
            int distance = distance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= 3 ? " Did you mean \"" + best + "\"?" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Collects event types registered by hand. */
    public static final class Builder {
        private final List<EventType<?>> types = new ArrayList<>();

        private Builder() {
        }

        /** Registers a version-1 type. */
        public <E> Builder add(String name, Class<E> javaType) {
            return add(EventType.of(name, javaType));
        }

        /** Registers a version-1 type whose events carry the tags {@code tags} gives (for DCB queries). */
        public <E> Builder add(String name, Class<E> javaType, dev.eskit.dcb.TagExtractor<E> tags) {
            return add(EventType.of(name, javaType).withTags(tags));
        }

        /** Registers a type. */
        public Builder add(EventType<?> type) {
            types.add(type);
            return this;
        }

        /** Registers every type of a registry. */
        public Builder addAll(EventTypeRegistry registry) {
            types.addAll(registry.eventTypes());
            return this;
        }

        /** Builds the index; fails when one name or one class is registered twice. */
        public EventTypes build() {
            return new EventTypes(types);
        }
    }
}
