/**
 * Given/When/Then fixtures for deciders. Failures are opentest4j {@code AssertionFailedError}s (a subclass of
 * {@link AssertionError}, from a 15 KB jar with no dependencies) that carry expected and actual values, so IDEs and
 * build tools show a diff; the message holds a readable diff too, for JUnit, TestNG and kotlin-test alike.
 */
package dev.eskit.testing;
