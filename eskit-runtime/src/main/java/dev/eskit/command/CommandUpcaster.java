package dev.eskit.command;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON of a stored command of one schema version into the next version's JSON. The processor generates
 * these from {@code @CommandUpcast} methods; by hand, list them in {@link CommandType}'s {@code upcasters}.
 */
@FunctionalInterface
public interface CommandUpcaster {

    /** The next version of {@code json} (which the method may change and return). */
    ObjectNode upcast(ObjectNode json);
}
