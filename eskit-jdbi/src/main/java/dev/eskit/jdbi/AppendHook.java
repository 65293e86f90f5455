package dev.eskit.jdbi;

import dev.eskit.StreamRef;

/** Runs inside every append transaction just before it commits; for tests (delays, forced rollbacks). */
@FunctionalInterface
interface AppendHook {
    /** Called with the stream being appended to; throwing rolls the append back. */
    void beforeCommit(StreamRef stream);
}
