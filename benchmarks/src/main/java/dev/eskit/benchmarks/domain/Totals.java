package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.Handle;
import dev.eskit.annotations.Projection;

/** A read model that only adds numbers, so that dispatch cost is not hidden by the handler's own work. */
@Projection(name = "totals")
public final class Totals {
    private long opened;
    private long deposited;
    private long withdrawn;

    /** The checksum of everything seen (keeps the JIT from dropping the work). */
    public long checksum() {
        return opened * 31 + deposited * 17 + withdrawn;
    }

    /** Counts an opening. */
    @Handle
    public void opened(Opened event) {
        opened++;
    }

    /** Adds a deposit. */
    @Handle
    public void deposited(Deposited event) {
        deposited += event.amountCents();
    }

    /** Adds a withdrawal. */
    @Handle
    public void withdrawn(Withdrawn event) {
        withdrawn += event.amountCents();
    }
}
