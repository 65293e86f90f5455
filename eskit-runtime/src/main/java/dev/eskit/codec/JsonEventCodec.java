package dev.eskit.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JSON codec over jackson-databind. Records work out of the box. A polymorphic event interface never needs
 * Jackson's default typing: the wire name stored beside the data selects the concrete class through {@link EventTypes}.
 * Event types with a generated {@link ValueCodec} ({@link EventType#codec()}, every {@code @Event} the processor saw)
 * are read and written by it over the mapper's factory, without databind's reflection; databind handles the rest.
 *
 * <p>Decoding is strict: a property the record does not have, a missing record component, a JSON null for a
 * primitive, and anything after the JSON value fail with an {@link EventDecodingException} (which the stores extend
 * with the event's position, stream and type), instead of producing a half-empty event. {@link #relaxing} relaxes
 * this for the named types (unknown properties ignored, missing components left null or zero), for example while
 * events written by newer code with extra fields must still be read by older nodes; it applies to generated codecs
 * ({@link Codecs#lenient}) and to databind alike.
 *
 * <p>Encoding checks that the JSON can be read back ({@link CodecLimits#checkReadable}): an event with a string,
 * number or nesting beyond what the reader accepts fails with an {@link EventEncodingException} and nothing is
 * written.
 */
public final class JsonEventCodec implements EventCodec {

    private final EventTypes types;
    private final ObjectMapper mapper;
    private final Map<Class<?>, ObjectWriter> writers = new HashMap<>();
    private final Map<Class<?>, ObjectReader> readers = new HashMap<>();
    private final EventDataTransform transform;
    private final Set<String> relaxed;
    /** Reads the JSON of events that need upcasting, failing on trailing tokens. */
    private final ObjectReader treeReader;
    /** Open generators the generated codecs write with. */
    private final GeneratorPool generators;
    private final MetadataJson metadata;
    /** Kept parsers over the mapper's factory ({@link Utf8JsonFactory}) that generated readers read stored JSON with. */
    private final ParserPool reads;
    /** The format name recorded with each row: the mapper factory's, in lower case ({@code "json"}). */
    private final String format;
    /** The codecs of other formats, made on first use ({@link #forFormat}). */
    private final java.util.concurrent.ConcurrentMap<String, JsonEventCodec> siblings =
            new java.util.concurrent.ConcurrentHashMap<>();

    private JsonEventCodec(EventTypes types, ObjectMapper mapper) {
        this(types, mapper, null, Set.of());
    }

    private JsonEventCodec(EventTypes types, ObjectMapper mapper, EventDataTransform transform, Set<String> relaxed) {
        this.types = types;
        this.mapper = mapper;
        this.transform = transform;
        this.relaxed = Set.copyOf(relaxed);
        this.treeReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.generators = new GeneratorPool(mapper.getFactory());
        this.reads = new ParserPool(Utf8JsonFactory.of(mapper.getFactory()));
        this.metadata = new MetadataJson(new com.fasterxml.jackson.core.JsonFactory());
        this.format = mapper.getFactory().getFormatName().toLowerCase(java.util.Locale.ROOT).intern();
        for (EventType<?> type : types.eventTypes()) {
            writers.put(type.javaType(), mapper.writerFor(type.javaType()));
            ObjectReader reader = mapper.readerFor(type.javaType())
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            reader = relaxed.contains(type.name())
                    ? reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    : reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                            DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
            readers.put(type.javaType(), reader);
        }
    }

    /** A codec with eskit's default {@link ObjectMapper} (see {@link #defaultMapper()}). */
    public static JsonEventCodec create(EventTypes types) {
        return new JsonEventCodec(types, defaultMapper());
    }

    /** A codec with your own mapper, for custom modules (Java time, Kotlin, ...). */
    public static JsonEventCodec create(EventTypes types, ObjectMapper mapper) {
        return new JsonEventCodec(types, mapper);
    }

    /**
     * The mapper eskit uses by default: dates as ISO strings. (Strict decoding is set on the codec's readers, whatever
     * the mapper says; see {@link #relaxing}.)
     */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /**
     * A codec like this one that passes the JSON of the event types {@code value} applies to through it (for example
     * a {@code dev.eskit.gdpr.PersonalDataProtector}); replaces any earlier transform.
     */
    public JsonEventCodec withTransform(EventDataTransform value) {
        return new JsonEventCodec(types, mapper, java.util.Objects.requireNonNull(value, "transform"), relaxed);
    }

    /**
     * A codec like this one that decodes the events of the wire names {@code wireNames} leniently: unknown properties
     * are ignored, missing record components are left null (or zero), JSON null is accepted for primitives. Trailing
     * content after the JSON value still fails. Use it for types whose stored events newer code may have extended.
     *
     * @throws dev.eskit.UnknownEventTypeException when a name is not one of the codec's types
     */
    public JsonEventCodec relaxing(String... wireNames) {
        Set<String> names = new HashSet<>(relaxed);
        for (String name : wireNames) {
            names.add(types.byName(name).name());
        }
        return new JsonEventCodec(types, mapper, transform, names);
    }

    @Override
    public String format() {
        return format;
    }

    /**
     * This codec for {@code "json"} or {@code "cbor"} data: the same types, transform and leniency, over a copy of
     * the mapper with that format's factory (so databind-only types and {@code @PersonalData} work in CBOR too).
     * CBOR needs {@code jackson-dataformat-cbor} on the class path.
     */
    @Override
    public JsonEventCodec forFormat(String name) {
        if (name.equals(format)) {
            return this;
        }
        try {
            return siblings.computeIfAbsent(name, key -> switch (key) {
                case EncodedEvent.JSON -> new JsonEventCodec(types, mapper.copyWith(new com.fasterxml.jackson.databind
                    .MappingJsonFactory()), transform, relaxed);
                case EncodedEvent.CBOR -> new JsonEventCodec(types, mapper.copyWith(CborFormat.factory()), transform,
                    relaxed);
                default -> throw new EventDecodingException("Event data stored as \"" + key + "\" cannot be read:"
                        + " JsonEventCodec reads json and cbor. Create one with a mapper over that format"
                        + " (JsonEventCodec.create(types, mapper)).");
            });
        } catch (NoClassDefFoundError missing) {
            throw new EventDecodingException("Event data stored as \"" + name + "\" needs"
                    + " com.fasterxml.jackson.dataformat:jackson-dataformat-cbor on the class path.", missing);
        }
    }

    /** The mapper this codec uses. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The transform set with {@link #withTransform}, or {@code null}. */
    public EventDataTransform transform() {
        return transform;
    }

    @Override
    public EventTypes types() {
        return types;
    }

    @Override
    public EncodedEvent encode(Object event) {
        return encode(event, null);
    }

    @Override
    public EncodedEvent encode(Object event, EventContext where) {
        EventType<?> type = types.byClass(event.getClass());
        ValueCodec<Object> generated = GeneratedIo.codec(type);
        try {
            if (transform != null && transform.appliesTo(type.name())) {
                ObjectNode tree = generated != null
                        ? (ObjectNode) mapper.readTree(generators.write(generated, event))
                        : mapper.valueToTree(event);
                if (where == null) {
                    transform.beforeWrite(type.name(), tree);
                } else {
                    transform.beforeWrite(type.name(), tree, where);
                }
                byte[] json = readable(type, mapper.writeValueAsBytes(tree));
                CodecLimits.checkReadable(mapper.getFactory(), json, type.name());
                return new EncodedEvent(type.name(), type.version(), json, format);
            }
            byte[] json = readable(type, generated != null ? generators.write(generated, event)
                    : writers.get(type.javaType()).writeValueAsBytes(event));
            CodecLimits.checkReadable(mapper.getFactory(), json, type.name());
            return new EncodedEvent(type.name(), type.version(), json, format);
        } catch (IOException | IllegalArgumentException e) {
            throw new EventEncodingException("Event " + type.name() + " (" + event.getClass().getName()
                    + ") cannot be written as JSON: " + e.getMessage()
                    + ". Use records of JSON-friendly types (strings, numbers, booleans, enums, lists, records).", e);
        }
    }

    /** {@inheritDoc} Only a {@linkplain #withTransform transform} reads the context: without one, {@code false}. */
    @Override
    public boolean needsContext() {
        return transform != null;
    }

    @Override
    public Object decode(String typeName, int schemaVersion, byte[] data) {
        return decode(typeName, schemaVersion, data, null);
    }

    @Override
    public Object decode(String typeName, int schemaVersion, byte[] data, EventContext where) {
        EventType<?> type = types.byName(typeName);
        boolean transformed = transform != null && transform.appliesTo(type.name());
        ValueCodec<Object> generated = GeneratedIo.codec(type);
        try {
            if (schemaVersion == type.version() && !transformed && generated != null) {
                return reads.read(data, generated, !relaxed.isEmpty() && relaxed.contains(type.name()), typeName,
                        schemaVersion);
            }
            if (schemaVersion == type.version() && !transformed) {
                Object event = readers.get(type.javaType()).readValue(data);
                if (event == null) {
                    // JSON null would become a StoredEvent without data; no event is ever stored as null.
                    throw new EventDecodingException("Stored data of event \"" + typeName + "\" (schema version "
                            + schemaVersion + ") is JSON null, not an object. The row was not written by eskit or"
                            + " was changed by hand; restore the event's JSON.");
                }
                return event;
            }
            if (schemaVersion > type.version() || schemaVersion < 1) {
                throw new EventDecodingException("Event \"" + typeName + "\" was stored with schema version "
                        + schemaVersion + " but this code knows versions 1 to " + type.version()
                        + ". Deploy the code that wrote it before reading it.");
            }
            JsonNode tree = treeReader.readTree(data);
            if (!(tree instanceof ObjectNode node)) {
                throw new EventDecodingException("Event \"" + typeName + "\" version " + schemaVersion
                        + " is not a JSON object, so it cannot be upcast.");
            }
            ObjectNode current = node;
            for (int version = schemaVersion; version < type.version(); version++) {
                Upcaster upcaster = type.upcasters().get(version);
                if (upcaster == null) {
                    throw new EventDecodingException("Event \"" + typeName + "\" was stored with schema version "
                            + schemaVersion + " but no upcaster turns version " + version + " into " + (version + 1)
                            + ". Add @Upcast(event = " + type.javaType().getSimpleName() + ".class, from = "
                            + version + ").");
                }
                current = upcaster.upcast(current, mapper);
            }
            if (transformed && where == null) {
                transform.afterRead(type.name(), current);
            } else if (transformed) {
                transform.afterRead(type.name(), current, where);
            }
            if (generated != null) {
                return GeneratedIo.read(parser(type, current.traverse(mapper)), generated, typeName, schemaVersion);
            }
            return readers.get(type.javaType()).readValue(current);
        } catch (IOException e) {
            throw new EventDecodingException("Stored data of event \"" + typeName + "\" (schema version "
                    + schemaVersion + ") cannot be read as " + type.javaType().getName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code in}, made {@linkplain Codecs#lenient lenient} when {@code type} is relaxed. */
    private com.fasterxml.jackson.core.JsonParser parser(EventType<?> type,
            com.fasterxml.jackson.core.JsonParser in) {
        return !relaxed.isEmpty() && relaxed.contains(type.name()) ? Codecs.lenient(in) : in;
    }

    @Override
    public byte[] encodeMetadata(Metadata value) {
        return metadata.encode(transform == null ? value : transform.beforeWriteMetadata(value));
    }

    /**
     * {@code json}, unless it holds a lone UTF-16 surrogate: Jackson writes one (in a map key, say) as bytes that no
     * JSON parser reads back, and nothing may be written that cannot be read.
     */
    private byte[] readable(EventType<?> type, byte[] json) {
        if (EncodedEvent.JSON.equals(format) && LoneSurrogates.in(json)) {
            throw new EventEncodingException("Event " + type.name() + " (" + type.javaType().getName() + ") contains"
                    + " a string with a lone UTF-16 surrogate (half of a character, such as a cut emoji), which no"
                    + " JSON reader accepts back. Nothing was written; remove or repair the broken character.", null);
        }
        return json;
    }

    @Override
    public Metadata decodeMetadata(byte[] data) {
        return transform == null ? metadata.decode(data) : transform.afterReadMetadata(metadata.decode(data));
    }
}
