package dev.eskit.observability;

import dev.eskit.ConcurrencyException;
import dev.eskit.EskitException;
import dev.eskit.InvalidInputException;

/** How a command or an append ended, as a metric tag value. */
enum Outcome {
    /** Stored (or, for a command, decided with no events). */
    SUCCESS("success"),
    /** Lost an optimistic concurrency check. */
    CONFLICT("conflict"),
    /** Refused: bad input, or a decider's domain exception. */
    REJECTED("rejected"),
    /** Anything else (store down, codec failure...). */
    ERROR("error");

    final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    static Outcome of(Throwable error) {
        if (error instanceof ConcurrencyException) {
            return CONFLICT;
        }
        if (error instanceof InvalidInputException || error instanceof dev.eskit.hooks.AppendRejectedException) {
            return REJECTED;
        }
        if (error instanceof EskitException) {
            return ERROR;
        }
        // Deciders reject commands with their own (non-eskit) exceptions.
        return error instanceof RuntimeException ? REJECTED : ERROR;
    }
}
