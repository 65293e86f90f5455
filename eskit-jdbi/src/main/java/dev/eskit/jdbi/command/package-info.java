/**
 * Commands on the Jdbi stores: {@link dev.eskit.jdbi.command.JdbiCommandLog}, the command log in a table next to the
 * events (written in the events' transaction), and {@link dev.eskit.jdbi.command.JdbiCommandQueue}, the durable
 * command queue. Both tables are created by eskit's migration 6.
 */
package dev.eskit.jdbi.command;
