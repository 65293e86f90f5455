package dev.eskit.docs.bank;

/** Events of an account. */
public sealed interface AccountEvent permits AccountOpened, Deposited, Withdrawn {
}
