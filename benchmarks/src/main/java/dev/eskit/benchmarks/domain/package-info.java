/** The domain the benchmarks run on: accounts with three event types, compiled with the eskit processor. */
package dev.eskit.benchmarks.domain;
