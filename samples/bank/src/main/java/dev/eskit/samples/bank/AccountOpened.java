package dev.eskit.samples.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/**
 * An account was opened. Stored as {@code "bank.AccountOpened"}.
 *
 * @param accountId the account
 * @param owner     who owns it
 */
@Event
public record AccountOpened(@StreamId String accountId, String owner) implements AccountEvent {
}
