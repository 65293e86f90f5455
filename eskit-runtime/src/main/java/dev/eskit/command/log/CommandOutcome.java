package dev.eskit.command.log;

/** How a logged command ended. */
public enum CommandOutcome {
    /** Decided and appended (or decided to change nothing): the entry names the events' positions, if any. */
    ACCEPTED,
    /** The decider (or a middleware, or the store's input checks) refused it: the entry holds the error. */
    REJECTED,
    /** The stream kept changing for every attempt the retry policy allowed. */
    CONFLICT
}
