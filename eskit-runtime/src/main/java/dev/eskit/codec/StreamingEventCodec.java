package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.io.IOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An {@link EventCodec} that runs only generated {@link ValueCodec}s over jackson-core: no jackson-databind, no
 * reflection, and any jackson-core format. {@link #json(EventTypes)} writes the same JSON as {@link JsonEventCodec};
 * {@link #create(EventTypes, JsonFactory)} with a {@code com.fasterxml.jackson.dataformat.cbor.CBORFactory} (or
 * {@link #cbor(EventTypes)}) stores event data as CBOR. Metadata is always JSON.
 *
 * <pre>{@code
 * EventCodec codec = StreamingEventCodec.json(EventTypes.discover());
 * JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:app.db", codec);
 * }</pre>
 *
 * <p>Every registered type needs a generated codec (the processor writes one for each {@code @Event} record); a type
 * without one fails with {@link EventEncodingException}/{@link EventDecodingException} on first use: use
 * {@link JsonEventCodec} for those. Upcasting stored older versions runs without jackson-databind when every step of
 * the chain is a {@link StreamingUpcaster} ({@code @Upcast} methods on {@link JsonObject}); a chain with an
 * {@code ObjectNode} or typed upcaster needs jackson-databind on the class path (only when an older version is read).
 */
public final class StreamingEventCodec implements EventCodec {

    private final EventTypes types;
    private final JsonFactory factory;
    /** {@link #factory} as stored data is parsed with it ({@link Utf8JsonFactory}). */
    private final JsonFactory parsers;
    /** Kept parsers the generated readers read stored data with. */
    private final ParserPool reads;
    /** Wire names decoded leniently ({@link #relaxing}). */
    private final Set<String> relaxed;
    /** The format name recorded with each row: the factory's, in lower case. */
    private final String format;
    /** The codecs of other formats, made on first use ({@link #forFormat}). */
    private final java.util.concurrent.ConcurrentMap<String, StreamingEventCodec> siblings =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final MetadataJson metadata = new MetadataJson(new JsonFactory());
    /** Open generators the generated codecs write with. */
    private final GeneratorPool generators;
    /** Rewrites the data of chosen types ({@code @PersonalData} encryption), or null. */
    private final EventDataTransform transform;
    /** The databind mapper upcasting uses, made on first use (an Object so this class never links databind). */
    private volatile Object upcastMapper;

    private StreamingEventCodec(EventTypes types, JsonFactory factory, Set<String> relaxed) {
        this(types, factory, relaxed, null);
    }

    private StreamingEventCodec(EventTypes types, JsonFactory factory, Set<String> relaxed,
            EventDataTransform transform) {
        this.transform = transform;
        this.types = Objects.requireNonNull(types, "types");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.parsers = Utf8JsonFactory.of(factory);
        this.reads = new ParserPool(parsers);
        this.relaxed = Set.copyOf(relaxed);
        this.format = factory.getFormatName().toLowerCase(java.util.Locale.ROOT).intern();
        this.generators = new GeneratorPool(factory);
    }

    /** JSON, byte for byte what {@link JsonEventCodec} writes for generated types. */
    public static StreamingEventCodec json(EventTypes types) {
        return new StreamingEventCodec(types, new JsonFactory(), Set.of());
    }

    /** Event data in {@code factory}'s format (a {@code CBORFactory}, a {@code SmileFactory}, ...). */
    public static StreamingEventCodec create(EventTypes types, JsonFactory factory) {
        return new StreamingEventCodec(types, factory, Set.of());
    }

    /**
     * CBOR (RFC 8949) event data: smaller and faster than JSON. Needs {@code jackson-dataformat-cbor} on the class
     * path; the CLI shows CBOR data as JSON.
     */
    public static StreamingEventCodec cbor(EventTypes types) {
        return new StreamingEventCodec(types, CborFormat.factory(), Set.of());
    }

    /**
     * A codec like this one that decodes the events of the wire names {@code wireNames} leniently, as
     * {@link JsonEventCodec#relaxing} does: unknown properties are skipped, missing ones left null (or zero, or
     * empty); a wrong JSON type and trailing content still fail.
     *
     * @throws dev.eskit.UnknownEventTypeException when a name is not one of the codec's types
     */
    public StreamingEventCodec relaxing(String... wireNames) {
        Set<String> names = new HashSet<>(relaxed);
        for (String name : wireNames) {
            names.add(types.byName(name).name());
        }
        return new StreamingEventCodec(types, factory, names, transform);
    }

    /**
     * A codec like this one that rewrites the data of the types {@code value} applies to on {@link JsonObject}
     * (after encoding, before decoding): {@code PersonalDataProtector.streamingCodec} encrypts {@code @PersonalData}
     * fields this way, without jackson-databind. Replaces any earlier transform.
     */
    public StreamingEventCodec withTransform(EventDataTransform value) {
        return new StreamingEventCodec(types, factory, relaxed, Objects.requireNonNull(value, "transform"));
    }

    @Override
    public String format() {
        return format;
    }

    /** This codec for {@code "json"} or {@code "cbor"} data (the same types and leniency). */
    @Override
    public StreamingEventCodec forFormat(String name) {
        if (name.equals(format)) {
            return this;
        }
        try {
            return siblings.computeIfAbsent(name, key -> switch (key) {
                case EncodedEvent.JSON -> new StreamingEventCodec(types, new JsonFactory(), relaxed, transform);
                case EncodedEvent.CBOR -> new StreamingEventCodec(types, CborFormat.factory(), relaxed, transform);
                default -> throw new EventDecodingException("Event data stored as \"" + key + "\" cannot be read:"
                        + " StreamingEventCodec reads json and cbor. Create one over that format's JsonFactory"
                        + " (StreamingEventCodec.create).");
            });
        } catch (NoClassDefFoundError missing) {
            throw new EventDecodingException("Event data stored as \"" + name + "\" needs"
                    + " com.fasterxml.jackson.dataformat:jackson-dataformat-cbor on the class path.", missing);
        }
    }

    /** The transform of {@link #withTransform}, or null. */
    public EventDataTransform transform() {
        return transform;
    }

    /** The format's factory. */
    public JsonFactory factory() {
        return factory;
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
        ValueCodec<Object> codec = GeneratedIo.codec(type);
        if (codec == null) {
            throw new EventEncodingException("Event " + type.name() + " (" + event.getClass().getName() + ") has no"
                    + " generated codec, so StreamingEventCodec cannot write it. Annotate it with @Event and compile"
                    + " with the eskit processor, or use JsonEventCodec (jackson-databind).", null);
        }
        byte[] data;
        try {
            data = generators.write(codec, event);
        } catch (IOException | RuntimeException e) {
            throw new EventEncodingException("Event " + type.name() + " (" + event.getClass().getName()
                    + ") cannot be written: " + e.getMessage(), e);
        }
        if (transform != null && transform.appliesTo(type.name())) {
            // Its own exceptions (a missing data subject, a key store failure) reach the caller as they are.
            JsonObject tree;
            try (JsonParser in = parsers.createParser(data)) {
                in.nextToken();
                tree = JsonObject.read(in);
            } catch (IOException e) {
                throw new EventEncodingException("Event " + type.name() + " cannot be re-read for "
                        + transform.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
            transform.beforeWrite(type.name(), tree, where);
            data = tree.toBytes(factory);
        }
        // Nothing is written that the reader would refuse (string, number and nesting limits).
        CodecLimits.checkReadable(factory, data, type.name());
        return new EncodedEvent(type.name(), type.version(), data, format);
    }

    /** {@inheritDoc} Only a transform reads the context: without one, {@code false}. */
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
        ValueCodec<Object> codec = GeneratedIo.codec(type);
        if (codec == null) {
            throw new EventDecodingException("Event \"" + typeName + "\" (" + type.javaType().getName() + ") has no"
                    + " generated codec, so StreamingEventCodec cannot read it. Compile it with the eskit processor,"
                    + " or use JsonEventCodec (jackson-databind).", null);
        }
        if (schemaVersion > type.version() || schemaVersion < 1) {
            throw new EventDecodingException("Event \"" + typeName + "\" was stored with schema version "
                    + schemaVersion + " but this code knows versions 1 to " + type.version()
                    + ". Deploy the code that wrote it before reading it.");
        }
        boolean lenient = !relaxed.isEmpty() && relaxed.contains(type.name());
        boolean transformed = transform != null && transform.appliesTo(type.name());
        try {
            if (schemaVersion == type.version() && !transformed) {
                return reads.read(data, codec, lenient, typeName, schemaVersion);
            }
            JsonParser in = schemaVersion == type.version() ? parsers.createParser(data)
                    : upcast(type, schemaVersion, data);
            if (transformed) {
                in = transformed(type, in, where);
            }
            return GeneratedIo.read(lenient ? Codecs.lenient(in) : in, codec, typeName, schemaVersion);
        } catch (IOException e) {
            throw new EventDecodingException("Stored data of event \"" + typeName + "\" (schema version "
                    + schemaVersion + ") cannot be read as " + type.javaType().getName() + ": " + e.getMessage(), e);
        }
    }

    private JsonParser upcast(EventType<?> type, int schemaVersion, byte[] data)
            throws IOException {
        if (streamingChain(type, schemaVersion)) {
            JsonObject current;
            try (JsonParser in = parsers.createParser(data)) {
                if (in.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    throw new EventDecodingException("Event \"" + type.name() + "\" version " + schemaVersion
                            + " is not an object, so it cannot be upcast.");
                }
                current = JsonObject.read(in);
                Codecs.expectEnd(in, type.name());
            }
            for (int version = schemaVersion; version < type.version(); version++) {
                StreamingUpcaster step = ((StreamingUpcasterStep) type.upcasters().get(version)).step();
                current = step.upcast(current);
                if (current == null) {
                    throw new EventDecodingException("The upcaster of event \"" + type.name() + "\" from version "
                            + version + " returned null. Return the next version's JsonObject.");
                }
            }
            return parsers.createParser(current.toBytes(factory));
        }
        try {
            Object mapper = upcastMapper;
            if (mapper == null) {
                mapper = TreeUpcasting.mapper(factory);
                upcastMapper = mapper;
            }
            return TreeUpcasting.upcast(mapper, type, schemaVersion, data);
        } catch (NoClassDefFoundError missing) {
            throw new EventDecodingException("Event \"" + type.name() + "\" was stored with schema version "
                    + schemaVersion + " and needs upcasting to version " + type.version() + ", which works on"
                    + " jackson-databind's tree model: put jackson-databind on the class path.", missing);
        }
    }

    /** The data of {@code in} (closed) after the transform's {@code afterRead}, as a new parser. */
    private JsonParser transformed(EventType<?> type, JsonParser in, EventContext where) throws IOException {
        JsonObject tree;
        try (JsonParser parser = in) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new EventDecodingException("Stored data of event \"" + type.name() + "\" is not an object.");
            }
            tree = JsonObject.read(parser);
            Codecs.expectEnd(parser, type.name());
        }
        transform.afterRead(type.name(), tree, where);
        return parsers.createParser(tree.toBytes(factory));
    }

    /** Whether every step from {@code schemaVersion} is a {@link StreamingUpcaster} (no databind needed). */
    private static boolean streamingChain(EventType<?> type, int schemaVersion) {
        for (int version = schemaVersion; version < type.version(); version++) {
            Upcaster upcaster = type.upcasters().get(version);
            if (upcaster == null) {
                throw new EventDecodingException("Event \"" + type.name() + "\" was stored with schema version "
                        + schemaVersion + " but no upcaster turns version " + version + " into " + (version + 1)
                        + ". Add @Upcast(event = " + type.javaType().getSimpleName() + ".class, from = " + version
                        + ").");
            }
            if (!(upcaster instanceof StreamingUpcasterStep)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] encodeMetadata(Metadata value) {
        return metadata.encode(transform == null ? value : transform.beforeWriteMetadata(value));
    }

    /** The metadata in {@code data}, after the transform's {@code afterReadMetadata} (personal extras opened). */
    @Override
    public Metadata decodeMetadata(byte[] data) {
        return transform == null ? metadata.decode(data) : transform.afterReadMetadata(metadata.decode(data));
    }
}
