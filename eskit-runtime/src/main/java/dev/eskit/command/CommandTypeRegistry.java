package dev.eskit.command;

import java.util.List;

/**
 * A source of command types. The annotation processor generates one per package of {@code @Decider} classes
 * ({@code <Package>CommandTypes}) and lists it in {@code META-INF/services/dev.eskit.command.CommandTypeRegistry}, so
 * {@link CommandTypes#discover()} finds it.
 */
@FunctionalInterface
public interface CommandTypeRegistry {

    /** The command types this registry contributes. */
    List<CommandType<?>> commandTypes();
}
