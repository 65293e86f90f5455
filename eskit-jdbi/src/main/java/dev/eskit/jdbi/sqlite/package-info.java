/** SQLite settings of the store ({@link dev.eskit.jdbi.sqlite.Synchronous}). */
package dev.eskit.jdbi.sqlite;
