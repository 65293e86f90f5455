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
        this("Stream " + stream + " is at version " + actualVersion + " but the append expected " + expected
                + ". Another writer appended first: reload the stream, decide again and retry"
                + " (or give the command handler a Retry, such as Retry.attempts(3)).", stream, expected,
                actualVersion);
    }

    private ConcurrencyException(String message, StreamRef stream, ExpectedVersion expected, long actualVersion) {
        super(message);
        this.stream = stream;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    /**
     * The exception for a stream that is at {@code actualVersion} but whose event at the version the append expected
     * is not the one the command read: the stream was deleted and written again since the read.
     */
    public static ConcurrencyException writtenAgain(StreamRef stream, ExpectedVersion expected, long actualVersion) {
        return new ConcurrencyException("Stream " + stream + " was deleted and written again (it is at version "
                + actualVersion + ") since the command read it, so the append expecting " + expected
                + " was not made: reload the stream, decide again and retry (or give the command handler a Retry,"
                + " such as Retry.attempts(3)).", stream, expected, actualVersion);
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
