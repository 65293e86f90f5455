package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;

/**
 * One row of a store's streams table, as {@link RawEventAccess#streams} lists it.
 *
 * @param stream  the stream
 * @param version its version: the highest version among its events (0 when it has none)
 * @param status  active, archived or tombstoned
 */
public record StreamInfo(StreamRef stream, long version, StreamStatus status) {
}
