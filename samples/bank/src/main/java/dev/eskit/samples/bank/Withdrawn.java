package dev.eskit.samples.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * Money was paid out. Stored as {@code "bank.Withdrawn"}.
 *
 * <p>Version 2 added {@code reason}; events stored as version 1 are upcast by {@link WithdrawnUpcasts} when they are
 * read. The shape of each version is recorded in {@code src/main/resources/META-INF/eskit/schema.lock}.
 *
 * @param accountId   the account
 * @param amountCents the amount, in cents
 * @param reason      what the money was for ({@code "unknown"} for withdrawals stored before version 2)
 */
@Event(name = "bank.Withdrawn", version = 2)
public record Withdrawn(@StreamId String accountId, long amountCents, String reason) implements AccountEvent {
}
