/**
 * Invoice numbers without gaps or repeats: the next number is one more than the last, and the boundary is every
 * invoice (a query by type alone).
 */
package dev.eskit.samples.dcb.invoices;
