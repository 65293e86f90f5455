/**
 * The canonical Dynamic Consistency Boundary examples on eskit annotations: course subscriptions with changing
 * capacity ({@code courses}), unique user names released on deletion ({@code users}) and consecutive invoice numbers
 * ({@code invoices}). See {@code docs/dcb.md}.
 */
package dev.eskit.samples.dcb;
