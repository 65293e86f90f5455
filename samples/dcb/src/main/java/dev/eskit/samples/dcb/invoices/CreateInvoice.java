package dev.eskit.samples.dcb.invoices;

/**
 * Creates an invoice with the next number.
 *
 * @param customer who it is for
 */
public record CreateInvoice(String customer) {
}
