package dev.eskit.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventEncodingException;
import dev.eskit.InvalidInputException;
import dev.eskit.UnknownCommandException;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The command types an application knows, by wire name and by class, and their JSON form: what the command log
 * records and what the durable command queue stores. Commands with a generated codec are written and read without
 * jackson-databind; others fall back to databind (strict: unknown properties fail).
 *
 * <pre>{@code
 * CommandTypes types = CommandTypes.discover();            // every generated <Package>CommandTypes
 * byte[] json = types.encode(new Deposit("a-1", 500));
 * Object back = types.decode("bank.Deposit", json);
 * }</pre>
 */
public final class CommandTypes {

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, CommandType<?>> byName;
    private final Map<Class<?>, CommandType<?>> byClass;
    private volatile ObjectMapper databind;

    private CommandTypes(Collection<? extends CommandType<?>> types) {
        Map<String, CommandType<?>> names = new TreeMap<>();
        Map<Class<?>, CommandType<?>> classes = new HashMap<>();
        for (CommandType<?> type : types) {
            CommandType<?> previous = names.putIfAbsent(type.name(), type);
            if (previous != null && !previous.javaType().equals(type.javaType())) {
                throw new InvalidInputException("Command wire name \"" + type.name() + "\" is claimed by both "
                        + previous.javaType().getName() + " and " + type.javaType().getName()
                        + ". Keep one command class per wire name on the class path.");
            }
            CommandType<?> other = classes.putIfAbsent(type.javaType(), type);
            if (other != null && !other.name().equals(type.name())) {
                throw new InvalidInputException("Command class " + type.javaType().getName() + " is registered as \""
                        + other.name() + "\" and as \"" + type.name() + "\". Register each command class once.");
            }
        }
        this.byName = Map.copyOf(names);
        this.byClass = Map.copyOf(classes);
    }

    /** The given types. */
    public static CommandTypes of(Collection<? extends CommandType<?>> types) {
        return new CommandTypes(List.copyOf(types));
    }

    /** The given types. */
    public static CommandTypes of(CommandType<?>... types) {
        return of(List.of(types));
    }

    /** The types of every generated registry the context class loader sees through {@code META-INF/services}. */
    public static CommandTypes discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    /** The types of every registry {@code loader} sees through {@link ServiceLoader}. */
    public static CommandTypes discover(ClassLoader loader) {
        List<CommandType<?>> types = new ArrayList<>();
        for (CommandTypeRegistry registry : ServiceLoader.load(CommandTypeRegistry.class, loader)) {
            types.addAll(registry.commandTypes());
        }
        return of(types);
    }

    /** Every type, sorted by wire name. */
    public Collection<CommandType<?>> all() {
        return new TreeMap<>(byName).values();
    }

    /** The type of {@code commandClass}, if registered. */
    public Optional<CommandType<?>> byClass(Class<?> commandClass) {
        return Optional.ofNullable(byClass.get(commandClass));
    }

    /**
     * The type named {@code name}.
     *
     * @throws UnknownCommandException when no type has that wire name
     */
    public CommandType<?> byName(String name) {
        CommandType<?> type = byName.get(name);
        if (type == null) {
            throw new UnknownCommandException("Unknown command type \"" + name + "\". Known types: "
                    + byName.keySet() + ". Compile the decider that handles it with eskit-processor, or register"
                    + " it with CommandTypes.of(CommandType.of(\"" + name + "\", ...)).");
        }
        return type;
    }

    /**
     * The wire name of {@code command}.
     *
     * @throws UnknownCommandException when its class is not registered
     */
    public String nameOf(Object command) {
        return typeOf(command).name();
    }

    /**
     * The schema version {@code command} is written with: its type's current version.
     *
     * @throws UnknownCommandException when its class is not registered
     */
    public int versionOf(Object command) {
        return typeOf(command).version();
    }

    private CommandType<?> typeOf(Object command) {
        Objects.requireNonNull(command, "command");
        CommandType<?> type = byClass.get(command.getClass());
        if (type == null) {
            throw new UnknownCommandException("Command class " + command.getClass().getName() + " has no command"
                    + " type. Compile the decider that handles it with eskit-processor (which generates"
                    + " <Package>CommandTypes), or register it with CommandTypes.of(CommandType.of(name, class)).");
        }
        return type;
    }

    /**
     * {@code command} as JSON.
     *
     * @throws UnknownCommandException when its class is not registered
     * @throws EventEncodingException  when it cannot be written
     */
    @SuppressWarnings("unchecked")
    public byte[] encode(Object command) {
        CommandType<?> type = typeOf(command);
        try {
            if (type.codec() == null) {
                return mapper().writeValueAsBytes(command);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            try (JsonGenerator generator = JSON.createGenerator(out)) {
                ((ValueCodec<Object>) type.codec()).write(generator, command);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new EventEncodingException("Command " + type.name() + " cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads a command of type {@code name} from {@code json}.
     *
     * @throws UnknownCommandException   when no type has that wire name
     * @throws CommandDecodingException when the JSON does not have the type's shape
     */
    public Object decode(String name, byte[] json) {
        CommandType<?> type = byName(name);
        Objects.requireNonNull(json, "json");
        try {
            if (type.codec() == null) {
                return mapper().readValue(json, type.javaType());
            }
            try (JsonParser in = JSON.createParser(json)) {
                JsonToken first = in.nextToken();
                if (first == null || first == JsonToken.VALUE_NULL) {
                    throw new IOException("the payload is " + (first == null ? "empty" : "JSON null"));
                }
                Object value = type.codec().read(in);
                if (in.nextToken() != null) {
                    throw new IOException("there is content after the command's JSON value");
                }
                return value;
            }
        } catch (IOException | RuntimeException e) {
            throw new CommandDecodingException("The payload of command \"" + name + "\" does not read as "
                    + type.javaType().getName() + ": " + e.getMessage() + ". The command was stored by code with"
                    + " another shape of this type, or written by hand; fix or discard it.", e);
        }
    }

    /**
     * Reads a command of type {@code name} stored with schema version {@code version}: an older version runs through
     * the type's upcasters first.
     *
     * @throws UnknownCommandException   when no type has that wire name
     * @throws CommandDecodingException when the version is newer than the type's, has no upcasters, or the JSON (after
     *                                   upcasting) does not have the type's shape
     */
    public Object decode(String name, int version, byte[] json) {
        CommandType<?> type = byName(name);
        if (version == type.version()) {
            return decode(name, json);
        }
        Objects.requireNonNull(json, "json");
        if (version > type.version() || version < 1) {
            throw new CommandDecodingException("Command \"" + name + "\" was stored with version " + version
                    + ", but this code knows version " + type.version() + ". Run it with code that knows that version"
                    + " (a node of the newer release), or discard it.", null);
        }
        if (type.upcasters().isEmpty()) {
            throw new CommandDecodingException("Command \"" + name + "\" was stored with version " + version
                    + ", but version " + type.version() + " has no upcasters. Add @CommandUpcast methods for versions "
                    + version + " to " + (type.version() - 1) + ", or discard the command.", null);
        }
        ObjectNode tree;
        try {
            if (!(mapper().readTree(json) instanceof ObjectNode object)) {
                throw new IOException("the payload is not a JSON object");
            }
            tree = object;
            for (int v = version; v < type.version(); v++) {
                tree = type.upcasters().get(v - 1).upcast(tree);
                if (tree == null) {
                    throw new IOException("the upcaster from version " + v + " returned null");
                }
            }
            json = mapper().writeValueAsBytes(tree);
        } catch (IOException | RuntimeException e) {
            throw new CommandDecodingException("The payload of command \"" + name + "\" (version " + version
                    + ") cannot be upcast to version " + type.version() + ": " + e.getMessage()
                    + ". Fix the upcaster, or discard the command.", e);
        }
        return decode(name, json);
    }

    private ObjectMapper mapper() {
        ObjectMapper value = databind;
        if (value == null) {
            value = JsonEventCodec.defaultMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            databind = value;
        }
        return value;
    }
}
