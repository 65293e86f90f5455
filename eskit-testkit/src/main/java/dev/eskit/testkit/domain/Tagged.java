package dev.eskit.testkit.domain;

import java.util.List;
import java.util.Map;

/**
 * An event with structure: a list, a map, a nested record, a boolean and a floating-point number. Wire name
 * {@code "testkit.Tagged"}.
 *
 * @param id      the subject
 * @param tags    free-form tags (unicode welcome)
 * @param counts  a count per key
 * @param address a nested record
 * @param active  a flag
 * @param score   a double
 */
public record Tagged(String id, List<String> tags, Map<String, Integer> counts, Address address, boolean active,
                     double score) implements TestEvent {
}
