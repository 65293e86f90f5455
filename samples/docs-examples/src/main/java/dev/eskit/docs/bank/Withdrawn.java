package dev.eskit.docs.bank;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.StreamId;

/** Money was paid out (docs/annotations.md, {@code @Event}); versions 1 and 2 are upcast by {@link WithdrawnUpcasts}. */
@Event(name = "bank.Withdrawn", version = 3, aliases = {"bank.MoneyWithdrawn"})
public record Withdrawn(@StreamId String accountId, long amountCents, String reason) implements AccountEvent {}
