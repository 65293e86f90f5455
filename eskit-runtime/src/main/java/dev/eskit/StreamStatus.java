package dev.eskit;

/** Whether a stream accepts appends. A stream that was never written to is {@link #ACTIVE} at version 0. */
public enum StreamStatus {
    /** Accepts appends. */
    ACTIVE,
    /** Read-only until restored; appends fail with {@link StreamArchivedException}. */
    ARCHIVED,
    /** Closed for good; appends fail with {@link StreamTombstonedException}. */
    TOMBSTONED
}
