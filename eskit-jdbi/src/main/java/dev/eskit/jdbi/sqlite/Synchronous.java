package dev.eskit.jdbi.sqlite;

/** SQLite's {@code synchronous} setting for the store's writer connection (in WAL mode). */
public enum Synchronous {
    /**
     * The default: commits survive a crash of the process; the last commits before a power loss or OS crash may be
     * lost (the database stays consistent). Much faster than {@link #FULL}.
     */
    NORMAL,
    /** Every commit is synced to disk before it returns, so it survives a power loss too. */
    FULL
}
