package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import java.util.ArrayList;

/**
 * The benchmark's second decider, over the account streams: its state holds an {@code ArrayList} that evolve changes
 * in place, so command handlers cache its states as private copies by default (the processor generates
 * {@code LedgerDecider}).
 */
@Decider(stream = "ledger")
public final class Ledger {

    /** How many amounts a ledger keeps. */
    public static final int RECENT = 10;

    private Ledger() {
    }

    /** The initial state: a new list each time. */
    @InitialState
    public static LedgerState initial() {
        return new LedgerState(null, 0, new ArrayList<>());
    }

    /** Credits, booked as a deposit. */
    @Decide
    public static Deposited credit(LedgerState state, Credit command) {
        return new Deposited(command.accountId(), command.amountCents(), "ref", 1_700_000_000_000L);
    }

    /** Opens. */
    @Evolve
    public static LedgerState opened(LedgerState state, Opened event) {
        return new LedgerState(event.owner(), 0, state.recent());
    }

    /** Adds, keeping the latest amounts in the same list. */
    @Evolve
    public static LedgerState deposited(LedgerState state, Deposited event) {
        note(state, event.amountCents());
        return new LedgerState(state.owner(), state.balanceCents() + event.amountCents(), state.recent());
    }

    /** Subtracts. */
    @Evolve
    public static LedgerState withdrawn(LedgerState state, Withdrawn event) {
        note(state, -event.amountCents());
        return new LedgerState(state.owner(), state.balanceCents() - event.amountCents(), state.recent());
    }

    private static void note(LedgerState state, long amount) {
        state.recent().add(amount);
        if (state.recent().size() > RECENT) {
            state.recent().remove(0);
        }
    }
}
