package dev.eskit.samples.dcb.invoices;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * An invoice was created. Tagged {@code invoice:<number>}.
 *
 * @param number   its number: 1 for the first, one more than the previous for every other
 * @param customer who it is for
 */
@Event
public record InvoiceCreated(@Tag("invoice") long number, String customer) {
}
