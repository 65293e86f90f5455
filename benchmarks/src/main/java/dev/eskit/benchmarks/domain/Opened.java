package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * An account was opened.
 *
 * @param accountId the account
 * @param owner     its owner
 * @param currency  ISO currency code
 */
@Event
public record Opened(@StreamId String accountId, String owner, String currency) implements AccountEvent {
}
