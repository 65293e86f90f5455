/**
 * Multi-tenancy on one shared store: tenant-scoped views of an {@link dev.eskit.EventStore} and a
 * {@link dev.eskit.subscription.CheckpointStore}, and a command bus that picks the tenant from the command context.
 * See {@code docs/tenancy.md}.
 */
package dev.eskit.tenancy;
