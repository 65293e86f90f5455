package dev.eskit.docs.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/** An account was opened; wire name {@code "bank.AccountOpened"}. */
@Event
public record AccountOpened(@StreamId String accountId, String owner) implements AccountEvent {
}
