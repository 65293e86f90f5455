/**
 * PostgreSQL extras: cross-node wake-ups over LISTEN/NOTIFY ({@link dev.eskit.jdbi.postgres.PostgresNotifier}) and
 * leader election over session advisory locks ({@link dev.eskit.jdbi.postgres.PostgresLeaderElection}).
 */
package dev.eskit.jdbi.postgres;
