package dev.eskit;

/**
 * An append to a stream that was tombstoned: the stream is closed for good and accepts no more events. Nothing was
 * written. Start a new stream (a new id) for whatever comes next.
 */
public final class StreamTombstonedException extends EskitException {
    private static final long serialVersionUID = 1L;

    private final StreamRef stream;

    /** Creates the exception for {@code stream}. */
    public StreamTombstonedException(StreamRef stream) {
        super("Stream " + stream + " is tombstoned and accepts no more events. Tombstones are permanent: append to a"
                + " new stream id instead.");
        this.stream = stream;
    }

    /** The tombstoned stream. */
    public StreamRef stream() {
        return stream;
    }
}
