/**
 * The events of the store conformance suite: plain records that round-trip through Jackson, and their hand-written
 * registry {@link dev.eskit.testkit.domain.TestEventTypes}.
 */
package dev.eskit.testkit.domain;
