package dev.eskit.benchmarks.domain;

/** What a benchmark ledger can be asked to do. */
public sealed interface LedgerCommand permits Credit {
}
