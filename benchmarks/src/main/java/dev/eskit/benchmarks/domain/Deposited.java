package dev.eskit.benchmarks.domain;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * Money was paid in.
 *
 * @param accountId   the account
 * @param amountCents the amount
 * @param reference   the payer's reference
 * @param booked      booking time, epoch milliseconds
 */
@Event
public record Deposited(@StreamId String accountId, long amountCents, String reference, long booked)
        implements AccountEvent {
}
