package dev.eskit.samples.dcb.invoices;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;

/**
 * Numbers invoices consecutively: the state is the last number, the boundary every {@link InvoiceCreated} (so two
 * concurrent creations conflict and one retries with the next number).
 */
@DcbDecider(query = @QueryItem(types = InvoiceCreated.class))
final class Invoicing {

    private Invoicing() {
    }

    @InitialState
    static Long initial() {
        return 0L;
    }

    @Decide
    static InvoiceCreated decide(Long last, CreateInvoice command) {
        return new InvoiceCreated(last + 1, command.customer());
    }

    @Evolve
    static Long created(Long last, InvoiceCreated event) {
        return event.number();
    }
}
