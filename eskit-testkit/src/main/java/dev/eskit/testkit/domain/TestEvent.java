package dev.eskit.testkit.domain;

/**
 * The events the store conformance suite appends. Every one is a plain record that round-trips through Jackson, so
 * stores that serialize (through {@link dev.eskit.codec.JsonEventCodec}) run the same suite as the in-memory store.
 */
public sealed interface TestEvent permits AccountOpened, Deposited, Withdrawn, Tagged, Blob, Pinged, Counted {
}
