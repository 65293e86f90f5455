package dev.eskit.processor.model;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the schema lock records for one event: its wire name, current version, class and shape.
 *
 * @param wireName   the wire name
 * @param version    the current schema version
 * @param className  the record's canonical name (informative: moving the class does not change the stored JSON)
 * @param components component paths ({@code amount}, {@code amount.cents}, {@code lines[].sku}) to their types,
 *                   sorted by path; enums list their constants
 */
public record EventShape(String wireName, int version, String className, SortedMap<String, String> components) {
    /** Copies the components. */
    public EventShape {
        components = Collections.unmodifiableSortedMap(new TreeMap<>(components));
    }
}
