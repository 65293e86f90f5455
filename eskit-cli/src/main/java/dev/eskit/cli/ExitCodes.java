package dev.eskit.cli;

/**
 * The exit codes of the {@code eskit} tool (also listed in {@code docs/cli.md} and in {@code eskit --help}).
 */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** A check found a problem: {@code migrate --verify} found a difference, {@code store health} is unhealthy. */
    public static final int CHECK_FAILED = 1;
    /** Bad usage: an unknown option, a missing argument, a malformed URL, position, schema or prefix. */
    public static final int USAGE = 2;
    /** No store there: the SQLite file does not exist, or the database has no eskit tables (schema, prefix). */
    public static final int NO_STORE = 3;
    /** The database cannot be reached or failed (connection refused, authentication, I/O). */
    public static final int DATABASE = 4;
    /** The stream, event, or projection asked for does not exist. */
    public static final int NOT_FOUND = 5;
    /** {@code migrate} met events in the target that conflict with the source; nothing of that batch was written. */
    public static final int CONFLICT = 6;

    private ExitCodes() {
    }
}
