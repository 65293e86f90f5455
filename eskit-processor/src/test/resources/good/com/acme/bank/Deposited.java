package com.acme.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

@Event
public record Deposited(@StreamId String accountId, long amountCents) implements AccountEvent {
}
