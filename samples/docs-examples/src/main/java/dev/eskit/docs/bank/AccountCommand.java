package dev.eskit.docs.bank;

/** Commands of an account; sealed, so the processor checks that each has a {@code @Decide} method. */
public sealed interface AccountCommand permits OpenAccount, Deposit, Withdraw, Transfer, Ping {
}
