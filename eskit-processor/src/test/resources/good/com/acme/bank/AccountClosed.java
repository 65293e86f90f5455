package com.acme.bank;

import dev.eskit.annotations.Event;

@Event(name = "bank.AccountClosed")
public record AccountClosed(String accountId) implements AccountEvent {
}
