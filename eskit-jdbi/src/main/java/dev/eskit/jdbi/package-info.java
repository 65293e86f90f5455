/**
 * Event, snapshot and checkpoint stores on SQLite and PostgreSQL over Jdbi. Start at {@link dev.eskit.jdbi.JdbiEventStore}.
 *
 * <p>Inside, one engine per database ({@code SqliteDatabase}, {@code PostgresDatabase}) owns connections, transactions
 * and prepared statements; its dialect ({@code SqliteDialect}, {@code PostgresDialect}) holds the SQL; one class owns
 * each transaction or table ({@code AppendTransaction}, {@code EventReader}, {@code StreamAdministration},
 * {@code Migrations}, {@code RawImport}). The versioned schema ships as SQL scripts under
 * {@code dev/eskit/jdbi/sqlite/} and {@code dev/eskit/jdbi/postgres/}. See {@code docs/contributing-a-database.md}.
 */
package dev.eskit.jdbi;
