package dev.eskit.docs.bank;

import dev.eskit.annotations.StreamId;

/** Pays money in. */
public record Deposit(@StreamId String accountId, long amountCents) implements AccountCommand {
}
