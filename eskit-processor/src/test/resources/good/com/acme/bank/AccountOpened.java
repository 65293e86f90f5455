package com.acme.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

@Event
public record AccountOpened(@StreamId String accountId, String owner) implements AccountEvent {
}
