package dev.eskit.samples.bank;

/** Everything that can happen to an account; sealed, so the processor checks that each one is evolved. */
public sealed interface AccountEvent permits AccountOpened, Deposited, Withdrawn {
}
