package dev.eskit.docs.bank;

import dev.eskit.annotations.StreamId;

/** Opens an account; opening it again for the same owner changes nothing. */
public record OpenAccount(@StreamId String accountId, String owner) implements AccountCommand {
}
