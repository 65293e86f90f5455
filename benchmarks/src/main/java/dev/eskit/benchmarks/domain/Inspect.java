package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.StreamId;

/**
 * Loads the account and decides nothing (measures load + fold through the command handler).
 *
 * @param accountId the account
 */
public record Inspect(@StreamId String accountId) implements AccountCommand {
}
