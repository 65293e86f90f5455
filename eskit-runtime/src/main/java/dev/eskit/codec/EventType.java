package dev.eskit.codec;

import dev.eskit.InvalidInputException;
import dev.eskit.dcb.Tag;
import dev.eskit.dcb.TagExtractor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One event type: its wire name, its Java class, its current schema version, former names, and the upcasters that
 * bring older stored versions up to the current one.
 *
 * @param name      the wire name stored with each event, such as {@code "bank.Deposited"}
 * @param javaType  the record class
 * @param version   the current schema version, 1 or more
 * @param aliases   former wire names; stored events under these names decode as this type
 * @param upcasters upcaster {@code k} turns version {@code k} into version {@code k + 1}
 * @param tagExtractor the tags an event carries by its data ({@code @Tag} components), for DCB queries
 * @param codec     the generated streaming codec of the current version, or {@code null} to use jackson-databind
 * @param <E>       the event class
 */
public record EventType<E>(String name, Class<E> javaType, int version, List<String> aliases,
                           Map<Integer, Upcaster> upcasters, TagExtractor<E> tagExtractor, ValueCodec<E> codec) {

    /** Validates the type. */
    public EventType {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("Event type name is empty. Give every event type a wire name.");
        }
        CodecLimits.checkWireName(name);
        Objects.requireNonNull(javaType, "javaType");
        if (version < 1) {
            throw new InvalidInputException("Event type \"" + name + "\" has version " + version
                    + ". Versions start at 1.");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        aliases.forEach(CodecLimits::checkWireName);
        upcasters = upcasters == null ? Map.of() : Map.copyOf(new TreeMap<>(upcasters));
        tagExtractor = tagExtractor == null ? TagExtractor.none() : tagExtractor;
        for (Integer from : upcasters.keySet()) {
            if (from < 1 || from >= version) {
                throw new InvalidInputException("Event type \"" + name + "\" has an upcaster from version " + from
                        + " but its versions run from 1 to " + version + ". Remove it or raise the version.");
            }
        }
    }

    /** A type without a generated codec. */
    public EventType(String name, Class<E> javaType, int version, List<String> aliases,
                     Map<Integer, Upcaster> upcasters, TagExtractor<E> tagExtractor) {
        this(name, javaType, version, aliases, upcasters, tagExtractor, null);
    }

    /** A type without tags. */
    public EventType(String name, Class<E> javaType, int version, List<String> aliases,
                     Map<Integer, Upcaster> upcasters) {
        this(name, javaType, version, aliases, upcasters, null, null);
    }

    /** This type with {@code extractor} giving its events' tags. */
    public EventType<E> withTags(TagExtractor<E> extractor) {
        return new EventType<>(name, javaType, version, aliases, upcasters, extractor, codec);
    }

    /** This type read and written by {@code value} (a generated codec) instead of jackson-databind. */
    public EventType<E> withCodec(ValueCodec<E> value) {
        return new EventType<>(name, javaType, version, aliases, upcasters, tagExtractor, value);
    }

    /**
     * The tags of {@code event}, an instance of this type.
     *
     * @throws ClassCastException when it is not
     */
    public List<Tag> tagsOf(Object event) {
        List<Tag> tags = tagExtractor.tags(javaType.cast(event));
        return tags == null ? List.of() : tags;
    }

    /** A version-1 type with no aliases and no upcasters. */
    public static <E> EventType<E> of(String name, Class<E> javaType) {
        return new EventType<>(name, javaType, 1, List.of(), Map.of());
    }

    /**
     * The wire name eskit derives for a class when none is given: the last segment of its package, a dot, and its
     * simple name ({@code com.acme.bank.Deposited} becomes {@code "bank.Deposited"}).
     */
    public static String defaultName(String packageName, String simpleName) {
        int dot = packageName.lastIndexOf('.');
        String last = dot >= 0 ? packageName.substring(dot + 1) : packageName;
        return last.isEmpty() ? simpleName : last + "." + simpleName;
    }
}
