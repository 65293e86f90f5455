package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * Money was paid out.
 *
 * @param accountId   the account
 * @param amountCents the amount
 * @param reason      why
 */
@Event
public record Withdrawn(@StreamId String accountId, long amountCents, String reason) implements AccountEvent {
}
