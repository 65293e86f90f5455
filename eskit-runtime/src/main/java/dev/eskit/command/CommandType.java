package dev.eskit.command;

import dev.eskit.InvalidInputException;
import dev.eskit.codec.CodecLimits;
import dev.eskit.codec.ValueCodec;
import java.util.List;
import java.util.Objects;

/**
 * One command type: its wire name, its Java class, its schema version and its generated codec. The annotation
 * processor registers every command a {@code @Decider} or {@code @DcbDecider} handles in a generated
 * {@code <Package>CommandTypes} registry; the command log records commands under these names and the durable command
 * queue stores them under these names.
 *
 * @param name     the wire name, such as {@code "bank.Deposit"} (last package segment and simple name)
 * @param javaType the command class
 * @param version  the schema version, 1 or more
 * @param codec     the generated streaming codec, or {@code null} to use jackson-databind
 * @param upcasters the upcasters of stored versions, in order: element {@code i} turns version {@code i + 1} into
 *                  {@code i + 2}; empty (stored older versions do not decode) or exactly {@code version - 1} long
 * @param <C>       the command class
 */
public record CommandType<C>(String name, Class<C> javaType, int version, ValueCodec<C> codec,
                             List<CommandUpcaster> upcasters) {

    /** Validates the type. */
    public CommandType {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("Command type name is empty. Give every command type a wire name.");
        }
        CodecLimits.checkWireName(name);
        Objects.requireNonNull(javaType, "javaType");
        if (version < 1) {
            throw new InvalidInputException("Command type \"" + name + "\" has version " + version
                    + ". Versions start at 1.");
        }
        upcasters = upcasters == null ? List.of() : List.copyOf(upcasters);
        if (!upcasters.isEmpty() && upcasters.size() != version - 1) {
            throw new InvalidInputException("Command type \"" + name + "\" is at version " + version + " with "
                    + upcasters.size() + " upcasters. Give one upcaster per older version (" + (version - 1)
                    + "), or none.");
        }
    }

    /** A type without upcasters. */
    public CommandType(String name, Class<C> javaType, int version, ValueCodec<C> codec) {
        this(name, javaType, version, codec, List.of());
    }

    /** A type of version 1 read and written by jackson-databind. */
    public static <C> CommandType<C> of(String name, Class<C> javaType) {
        return new CommandType<>(name, javaType, 1, null);
    }
}
