package dev.eskit.testkit.domain;

/**
 * An account was opened. Wire name {@code "testkit.AccountOpened"}.
 *
 * @param accountId the account
 * @param owner     who owns it
 */
public record AccountOpened(String accountId, String owner) implements TestEvent {
}
