package dev.eskit.command;

import dev.eskit.InvalidInputException;
import dev.eskit.codec.CodecLimits;
import dev.eskit.codec.ValueCodec;
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
 * @param codec    the generated streaming codec, or {@code null} to use jackson-databind
 * @param <C>      the command class
 */
public record CommandType<C>(String name, Class<C> javaType, int version, ValueCodec<C> codec) {

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
    }

    /** A type of version 1 read and written by jackson-databind. */
    public static <C> CommandType<C> of(String name, Class<C> javaType) {
        return new CommandType<>(name, javaType, 1, null);
    }
}
