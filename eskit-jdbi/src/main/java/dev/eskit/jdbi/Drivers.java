package dev.eskit.jdbi;

/**
 * The JDBC drivers a store built from a URL needs. eskit-jdbi declares both drivers optional, so an application adds
 * the one of its database; without it the store would fail deep inside the driver or the pool with a bare
 * {@link NoClassDefFoundError} or "Failed to get driver instance". These checks name the dependency to add instead.
 */
final class Drivers {

    static final String SQLITE_ARTIFACT = "org.xerial:sqlite-jdbc";
    static final String POSTGRES_ARTIFACT = "org.postgresql:postgresql";

    private Drivers() {
    }

    /** Fails with what to add when sqlite-jdbc is not on the class path. */
    static void requireSqlite() {
        try {
            // A class literal, resolved when this runs: the driver's absence shows here, not in the middle of opening.
            org.sqlite.SQLiteDataSource.class.getName();
        } catch (NoClassDefFoundError e) {
            throw missing("SQLite", SQLITE_ARTIFACT, e);
        }
    }

    /** Fails with what to add when the PostgreSQL driver is not on the class path. */
    static void requirePostgres() {
        try {
            org.postgresql.Driver.class.getName();
        } catch (NoClassDefFoundError e) {
            throw missing("PostgreSQL", POSTGRES_ARTIFACT, e);
        }
    }

    static StoreConfigurationException missing(String database, String artifact, Throwable cause) {
        return new StoreConfigurationException("The " + database + " JDBC driver is not on the class path. eskit-jdbi"
                + " leaves the driver to the application: add the dependency " + artifact + " (runtime scope is"
                + " enough; docs/stores.md names the version eskit is tested with).", cause);
    }
}
