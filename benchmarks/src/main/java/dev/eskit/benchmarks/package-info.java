/**
 * JMH benchmarks of eskit against raw JDBC and plain jackson-databind; see {@code docs/performance.md}. Reflection is
 * used here only as a dispatch baseline.
 */
package dev.eskit.benchmarks;
