/**
 * The PostgreSQL dialect: events carry their transaction id ({@code xid8}); the global log is read in (transaction id,
 * sequence) order below the oldest running transaction, so no reader skips an event that commits late.
 */
package dev.eskit.jdbi.postgres;
