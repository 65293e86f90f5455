package dev.eskit.benchmarks.domain;

/** What can happen to a benchmark account. */
public sealed interface AccountEvent permits Opened, Deposited, Withdrawn {
}
