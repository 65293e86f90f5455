package com.acme.bank;

/** Everything that can happen to an account. */
public sealed interface AccountEvent permits AccountOpened, Deposited, Withdrawn, AccountClosed {
}
