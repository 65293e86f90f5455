package dev.eskit.docs.bank;

import dev.eskit.annotations.StreamId;

/** A command decided without the state: records a zero deposit. */
public record Ping(@StreamId String accountId) implements AccountCommand {
}
