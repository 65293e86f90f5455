package dev.eskit;

/**
 * Stream life-cycle operations a persistent store offers beside {@link EventStore}: archive (read-only, reversible),
 * tombstone (closed for good, events kept) and delete (events removed).
 *
 * <pre>{@code
 * admin.archive(StreamRef.of("account", "a-1"));    // appends now fail with StreamArchivedException
 * admin.restore(StreamRef.of("account", "a-1"));    // and work again
 * admin.tombstone(StreamRef.of("account", "a-2"));  // appends fail with StreamTombstonedException, forever
 * admin.delete(StreamRef.of("account", "a-3"));     // events, snapshot and idempotency keys gone
 * }</pre>
 *
 * <p>Every operation is atomic and safe to repeat.
 */
public interface StreamAdmin {

    /** The stream's status; {@link StreamStatus#ACTIVE} for a stream that was never written to. */
    StreamStatus status(StreamRef stream);

    /**
     * Makes the stream read-only: its events stay readable, appends fail with {@link StreamArchivedException}.
     * Archiving an archived stream does nothing.
     *
     * @throws StreamTombstonedException when the stream is tombstoned (that is already final)
     */
    void archive(StreamRef stream);

    /**
     * Makes an archived stream writable again. Restoring an active stream does nothing.
     *
     * @throws StreamTombstonedException when the stream is tombstoned (tombstones cannot be undone)
     */
    void restore(StreamRef stream);

    /**
     * Closes the stream for good: its events stay readable, appends fail with {@link StreamTombstonedException}.
     * Works on streams that were never written to (the id is then reserved) and on archived streams.
     */
    void tombstone(StreamRef stream);

    /**
     * {@link #tombstone(StreamRef)} with the reason recorded, together with the time, for {@link #tombstoneOf}. Every
     * eskit store records both (the Jdbi stores from schema version 4 on); this default, for other implementations,
     * tombstones the stream and drops the reason.
     *
     * @param reason why the stream is closed, such as {@code "account closed by the customer"}; 1 to 1024 characters
     */
    default void tombstone(StreamRef stream, String reason) {
        checkReason(reason);
        tombstone(stream);
    }

    /**
     * The stream's tombstone, or empty when it is not tombstoned: its reason ({@code null} when tombstoned without
     * one) and when it happened. The Jdbi stores return {@code null} for both on streams tombstoned before schema
     * version 4; this default, for other implementations, always does.
     */
    default java.util.Optional<Tombstone> tombstoneOf(StreamRef stream) {
        return status(stream) == StreamStatus.TOMBSTONED ? java.util.Optional.of(new Tombstone(stream, null, null))
                : java.util.Optional.empty();
    }

    /** Checks a tombstone reason; for implementations. */
    static void checkReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 1024) {
            throw new InvalidInputException("A tombstone reason must be 1 to 1024 characters and not blank, but it "
                    + (reason == null ? "is null" : reason.isBlank() ? "is blank" : "has " + reason.length()
                    + " characters") + ". Say briefly why the stream is closed.");
        }
    }

    /**
     * Removes the stream's events, its snapshot and its idempotency keys, and forgets the stream: a later append with
     * {@code noStream()} starts it again at version 1. Positions of removed events are never reused. To erase a stream
     * and keep its id from ever being used again, call {@link #tombstone(StreamRef)} after this.
     *
     * @return the number of events removed
     */
    long delete(StreamRef stream);
}
