package dev.eskit.dcb;

import dev.eskit.InvalidInputException;
import dev.eskit.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * A tag on an event, such as {@code "course:c1"}: an opaque string that queries select events by. Tags made from a
 * prefix and a value ({@link #of(String, Object)}) are what {@code @Tag} record components generate.
 *
 * @param value the tag: 1 to {@link Limits#MAX_ID_LENGTH} characters, no NUL byte
 */
public record Tag(String value) implements Comparable<Tag> {

    /** Validates the tag. */
    public Tag {
        String problem = Limits.checkIdentifier(value);
        if (problem != null) {
            throw new InvalidInputException("Tag " + Limits.abbreviate(value) + " " + problem
                    + ". Use a non-empty tag of at most " + Limits.MAX_ID_LENGTH
                    + " characters without NUL bytes or invalid Unicode, such as \"course:c1\".");
        }
    }

    /** The tag {@code value} as is. */
    public static Tag of(String value) {
        return new Tag(value);
    }

    /** The tag {@code prefix + ":" + id}, such as {@code Tag.of("course", "c1")} for {@code "course:c1"}. */
    public static Tag of(String prefix, Object id) {
        if (id == null) {
            throw new InvalidInputException("Tag \"" + prefix + ":\" has no value (null). Give every tagged value"
                    + " a non-null id.");
        }
        return new Tag(prefix + ":" + id);
    }

    /**
     * The tags of {@code prefix, value} pairs, skipping pairs whose value is {@code null}; generated tag extractors use
     * it.
     *
     * @param prefixesAndValues prefix, value, prefix, value, ...
     */
    public static List<Tag> list(Object... prefixesAndValues) {
        List<Tag> tags = new ArrayList<>(prefixesAndValues.length / 2);
        for (int i = 0; i + 1 < prefixesAndValues.length; i += 2) {
            Object value = prefixesAndValues[i + 1];
            if (value != null) {
                tags.add(of(String.valueOf(prefixesAndValues[i]), value));
            }
        }
        return List.copyOf(tags);
    }

    @Override
    public int compareTo(Tag other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
