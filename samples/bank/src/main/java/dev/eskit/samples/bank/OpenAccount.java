package dev.eskit.samples.bank;

import dev.eskit.annotations.StreamId;

/**
 * Opens an account; opening it again for the same owner changes nothing.
 *
 * @param accountId the account
 * @param owner     who owns it
 */
public record OpenAccount(@StreamId String accountId, String owner) implements AccountCommand {
}
