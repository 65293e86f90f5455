/**
 * Event, snapshot and checkpoint stores on SQLite and PostgreSQL over Jdbi. Start at {@link dev.eskit.jdbi.JdbiEventStore}.
 *
 * <p>The SQL both databases share lives here; what differs (connection handling, DDL, how appends get their global
 * position, how the global log is read) lives in {@code dev.eskit.jdbi.sqlite} and {@code dev.eskit.jdbi.postgres}.
 */
package dev.eskit.jdbi;
