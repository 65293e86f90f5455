package dev.eskit.docs.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/** Money was paid in (docs/annotations.md, {@code @Event}). */
@Event                                            // wire name "bank.Deposited", version 1
public record Deposited(@StreamId String accountId, long amountCents) implements AccountEvent {}
