package dev.eskit;

/**
 * Names one event stream: a stream type (one per decider, such as {@code "account"}) and an id within that type.
 *
 * <p>Both parts must be non-empty, at most {@link Limits#MAX_ID_LENGTH} characters and free of NUL bytes; any
 * other character (slashes, hyphens, unicode) is allowed.
 *
 * <p>The constructor throws {@link InvalidStreamException} when a part breaks the rules above.
 *
 * @param type the stream type
 * @param id   the stream id
 */
public record StreamRef(String type, String id) {

    /** Validates both parts. */
    public StreamRef {
        String problem = Limits.checkIdentifier(type);
        if (problem != null) {
            throw new InvalidStreamException("Stream type " + Limits.abbreviate(type) + " " + problem
                    + ". Use a non-empty name of at most " + Limits.MAX_ID_LENGTH
                    + " characters without NUL bytes or invalid Unicode.");
        }
        problem = Limits.checkIdentifier(id);
        if (problem != null) {
            throw new InvalidStreamException("Stream id " + Limits.abbreviate(id) + " of stream type \"" + type
                    + "\" " + problem + ". Use a non-empty id of at most " + Limits.MAX_ID_LENGTH
                    + " characters without NUL bytes or invalid Unicode.");
        }
    }

    /** Shorthand for {@code new StreamRef(type, id)}. */
    public static StreamRef of(String type, String id) {
        return new StreamRef(type, id);
    }

    @Override
    public String toString() {
        return type + "/" + id;
    }
}
