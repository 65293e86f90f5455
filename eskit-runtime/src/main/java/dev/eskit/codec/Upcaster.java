package dev.eskit.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON of one schema version of an event into the JSON of the next version. The annotation processor
 * generates these from {@code @Upcast} methods; they may also be written by hand.
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * Returns the next version's JSON. May change {@code node} in place and return it.
     */
    ObjectNode upcast(ObjectNode node);
}
