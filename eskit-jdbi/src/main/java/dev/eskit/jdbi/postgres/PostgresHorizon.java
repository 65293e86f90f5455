package dev.eskit.jdbi.postgres;

/**
 * The PostgreSQL read horizon of the global log: readers return only events whose transaction id is below it, because
 * every transaction below it has ended and every later one gets a larger id, so a page once read never gains an
 * earlier event. Kept in one place so that reads and lag measure against the same horizon.
 */
public final class PostgresHorizon {

    private PostgresHorizon() {
    }

    /** The SQL expression of the horizon, an {@code xid8}. */
    public static String horizonSql() {
        return "pg_snapshot_xmin(pg_current_snapshot())";
    }
}
