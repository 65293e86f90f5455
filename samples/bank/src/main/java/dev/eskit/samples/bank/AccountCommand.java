package dev.eskit.samples.bank;

/** What an account can be asked to do; sealed, so the processor checks that each command is decided. */
public sealed interface AccountCommand permits OpenAccount, Deposit, Withdraw {
}
