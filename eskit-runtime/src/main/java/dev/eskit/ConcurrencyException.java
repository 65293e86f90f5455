package dev.eskit;

/**
 * An append whose expected version did not match the stream: another writer appended first. Nothing was written.
 * Reload the stream and decide again (the command handler does this for you when a retry policy is set).
 */
public final class ConcurrencyException extends EskitException {
    private static final long serialVersionUID = 1L;

    private final StreamRef stream;
    private final ExpectedVersion expected;
    private final long actualVersion;

    /** Creates the exception for {@code stream}, which was at {@code actualVersion} instead of {@code expected}. */
    public ConcurrencyException(StreamRef stream, ExpectedVersion expected, long actualVersion) {
        super("Stream " + stream + " is at version " + actualVersion + " but the append expected " + expected
                + ". Another writer appended first: reload the stream, decide again and retry"
                + " (or give the command handler a Retry, such as Retry.attempts(3)).");
        this.stream = stream;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    /** The stream that was appended to. */
    public StreamRef stream() {
        return stream;
    }

    /** What the append expected. */
    public ExpectedVersion expected() {
        return expected;
    }

    /** The version the stream was at when the append was refused. */
    public long actualVersion() {
        return actualVersion;
    }
}
