package dev.eskit.benchmarks.domain;

/** What a benchmark account can be asked to do. */
public sealed interface AccountCommand permits Deposit, Inspect {
}
