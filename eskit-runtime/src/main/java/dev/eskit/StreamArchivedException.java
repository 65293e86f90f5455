package dev.eskit;

/**
 * An append to an archived stream. Archived streams are read-only; nothing was written. Restore the stream first
 * ({@link StreamAdmin#restore(StreamRef)}) if it really should change again.
 */
public final class StreamArchivedException extends EskitException {
    private static final long serialVersionUID = 1L;

    private final StreamRef stream;

    /** Creates the exception for {@code stream}. */
    public StreamArchivedException(StreamRef stream) {
        super("Stream " + stream + " is archived and read-only. Restore it with StreamAdmin.restore(...) before"
                + " appending, or append to a new stream id.");
        this.stream = stream;
    }

    /** The archived stream. */
    public StreamRef stream() {
        return stream;
    }
}
