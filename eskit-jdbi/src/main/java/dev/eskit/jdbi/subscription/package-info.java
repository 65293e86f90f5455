/**
 * Subscriptions on the Jdbi stores: {@link dev.eskit.jdbi.subscription.JdbiTransactor} for transactional projections
 * whose handlers write through the Jdbi {@code Handle} of the transaction that also saves the checkpoint.
 */
package dev.eskit.jdbi.subscription;
