package com.acme.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

@Event(name = "bank.Withdrawn", version = 3, aliases = {"bank.MoneyWithdrawn"})
public record Withdrawn(@StreamId String accountId, long amountCents, String reason) implements AccountEvent {
}
