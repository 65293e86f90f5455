package dev.eskit.docs.bank;

import dev.eskit.annotations.StreamId;

/** Pays money out, if the balance covers it. */
public record Withdraw(@StreamId String accountId, long amountCents) implements AccountCommand {
}
