package dev.eskit.docs.bank;

import dev.eskit.annotations.StreamId;

/** Pays money out of {@code accountId} to {@code toAccountId} (this stream's side only). */
public record Transfer(@StreamId String accountId, String toAccountId, long amountCents) implements AccountCommand {
}
