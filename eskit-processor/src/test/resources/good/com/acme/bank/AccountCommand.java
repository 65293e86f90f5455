package com.acme.bank;

import dev.eskit.annotations.StreamId;

/** What an account can be asked to do. */
public sealed interface AccountCommand permits OpenAccount, Deposit, Withdraw, CloseAccount {
}

record OpenAccount(String owner, String number) implements AccountCommand {
}

record Deposit(@StreamId String accountId, long amountCents) implements AccountCommand {
}

record Withdraw(@StreamId String accountId, long amountCents) implements AccountCommand {
}

record CloseAccount(@StreamId java.util.UUID accountId) implements AccountCommand {
}
