/** The SQLite dialect: one writer connection under a lock with {@code BEGIN IMMEDIATE}, WAL, separate readers. */
package dev.eskit.jdbi.sqlite;
