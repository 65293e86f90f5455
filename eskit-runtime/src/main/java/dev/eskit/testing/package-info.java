/**
 * Given/When/Then fixtures for deciders, with no test-framework dependency: failures are {@link AssertionError}s
 * with a readable diff, which JUnit, TestNG and kotlin-test all report.
 */
package dev.eskit.testing;
